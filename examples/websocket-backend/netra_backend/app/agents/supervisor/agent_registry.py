"""Which agent answers which request."""
from netra_backend.app.agents.corpus_admin_agent import CorpusAdminAgent
from netra_backend.app.agents.data_agent import DataAgent
from netra_backend.app.agents.optimization_agent import OptimizationAgent
from netra_backend.app.agents.reporting_agent import ReportingAgent
from netra_backend.app.agents.synthetic_data_agent import SyntheticDataAgent
from netra_backend.app.agents.triage_agent import TriageAgent


class AgentRegistry:
    def __init__(self, agents):
        self._agents = {agent.name: agent for agent in agents}

    @classmethod
    def default(cls):
        return cls([TriageAgent(), DataAgent(), OptimizationAgent(), ReportingAgent(), CorpusAdminAgent(), SyntheticDataAgent()])

    def get(self, name):
        try:
            return self._agents[name]
        except KeyError:
            raise KeyError(f"unknown agent {name!r}; known: {', '.join(sorted(self._agents))}") from None

    def names(self):
        return sorted(self._agents)

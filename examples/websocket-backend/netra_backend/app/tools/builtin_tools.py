"""The tools that ship with the backend. Deterministic, offline, fast: this is an example."""
import asyncio

_USAGE = {
    "alice": [{"model": "large", "tokens": 1200}, {"model": "small", "tokens": 300}],
    "bob": [{"model": "small", "tokens": 90}],
}
_CORPUS = ["pricing.md", "limits.md", "sla.md", "cost-report-2025.md"]
_PRICE_PER_1K = {"large": 0.03, "small": 0.002}


async def extract_keywords(text):
    await asyncio.sleep(0)
    return [word.strip(".,?!").lower() for word in text.split() if len(word) > 3]


async def query_usage(user_id):
    await asyncio.sleep(0)
    return [dict(row) for row in _USAGE.get(user_id, [{"model": "small", "tokens": 10}])]


async def calculate_costs(usage):
    await asyncio.sleep(0)
    total = sum(_PRICE_PER_1K[row["model"]] * row["tokens"] / 1000 for row in usage)
    return {"total": round(total, 4), "currency": "USD"}


async def search_corpus(query):
    await asyncio.sleep(0)
    words = [word.lower() for word in query.split()]
    return [doc for doc in _CORPUS if any(word in doc for word in words)] or _CORPUS[:1]


async def summarize(text):
    await asyncio.sleep(0)
    return f"Summary: {text[:60]}"


async def generate_rows(count):
    await asyncio.sleep(0)
    return [{"model": "small", "tokens": 100 * (index + 1)} for index in range(count)]


TOOLS = {
    "extract_keywords": extract_keywords,
    "query_usage": query_usage,
    "calculate_costs": calculate_costs,
    "search_corpus": search_corpus,
    "summarize": summarize,
    "generate_rows": generate_rows,
}

"""Tools agents can call, and the dispatcher that reports their progress."""

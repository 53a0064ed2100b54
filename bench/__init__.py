"""`python -m bench`: the cost of each streaming layer, side by side, in one run.

Every path (in-process graph, runs API through `langgraph dev`, direct SSE and WebSocket
routes, the web app) is measured against the in-process floor of the same run, because on a
shared machine ratios travel and absolute times do not. Results go to ``bench/results/``.
"""

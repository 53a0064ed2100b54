"""What an attacker tried against ``langgraph dev`` with API keys on, as regression tests.

Every request goes to the test's own server on loopback; the webhook tests prove that the
server refuses internal targets before it could connect anywhere.
"""

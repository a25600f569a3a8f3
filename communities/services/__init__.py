"""State changes of communities, one module per concern.

Every function is keyword-only, checks permission, writes inside a transaction and
schedules its side effects (websocket frames, notifications, email) after commit.
"""

"""What a chat socket is told when a rule is broken (an `error` frame) or it must go."""


class ChatRefused(Exception):
    """The frame broke a rule: answered with `{"type": "error", "code", "detail"}`,
    nothing stored."""

    codes = ("rate_limited", "too_long", "muted", "invalid")

    def __init__(self, code: str, detail: str):
        assert code in self.codes, code
        super().__init__(detail)
        self.code = code
        self.detail = str(detail)


class ChatClosed(Exception):
    """The socket may not stay: closed with this code (4401 anonymous, 4403 not allowed,
    4404 no such room)."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code

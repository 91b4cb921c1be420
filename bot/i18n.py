"""Placeholder: replaced by the real module."""


def N_(msgid: str) -> str:
    """Mark a French msgid for extraction without translating it now."""
    return msgid

"""Domain errors. Services raise these; views turn them into messages, the
API into 400/403/404/409, management commands into CommandError.

Each error carries a Chinese message for the user and, where a legal rule
refuses the step, the rule's ID (from docs/rules) so the refusal can name it.
"""


class DomainError(Exception):
    """Base of everything a service may refuse. HTTP 400 by default."""

    status = 400
    code = "invalid"
    # For a refused workflow step: the step that lifts the refusal (core.workflow.Guard.unlock).
    unlock = ""

    def __init__(self, message: str, *, rule: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.rule = rule
        self.fields = fields or {}

    def __str__(self) -> str:
        """The message with the citation of its rule ("…（依据《…》第六十条）");
        on a page the rule ID is a tooltip on the citation (``core.citations.Cited``).
        The API keeps ``message`` and ``rule`` apart."""
        if not self.rule:
            return self.message
        from fazhi.core.citations import Cited

        return Cited(self.message, self.rule)

    def __html__(self) -> str:
        """On a page (``{{ exc }}``, ``format_html``): the citation with the rule ID as a tooltip."""
        from django.utils.html import conditional_escape

        return str(conditional_escape(str(self)))


class ValidationError(DomainError):
    """Bad input: nothing was changed."""

    code = "invalid"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"

    def __init__(self, message: str = "您没有执行此操作的权限", **kw):
        super().__init__(message, **kw)


class NotFound(DomainError):
    status = 404
    code = "not_found"

    def __init__(self, message: str = "记录不存在或无权查看", **kw):
        super().__init__(message, **kw)


class Conflict(DomainError):
    """The step is not allowed in the record's current state (legal order)."""

    status = 409
    code = "conflict"


class TransitionRefused(Conflict):
    code = "transition_refused"


def ensure(condition: bool, message: str = "您没有执行此操作的权限", *, rule: str | None = None) -> None:
    """Authorisation guard used at the top of services."""
    if not condition:
        raise PermissionDenied(message, rule=rule)


def error_body(code: str, message: str, *, rule: str | None = None, fields: dict | None = None) -> dict:
    """The one JSON error shape of the API (``fazhi.core.rest.errors``) and of every
    JSON refusal the kernel gives before a view runs (``fazhi.core.middleware``):

        {"error": {"code": "...", "message": "中文说明", "rule": "NDOC-12" | None, "fields": {...}}}
    """
    # ``fields`` is always {"name": ["message", ...]}: a service may give one
    # message as a plain string, the schema (and clients) expect a list.
    fields = {str(k): [str(m) for m in v] if isinstance(v, (list, tuple)) else [str(v)]
              for k, v in (fields or {}).items()}
    return {"error": {"code": code, "message": message, "rule": rule, "fields": fields}}

"""The module's own error classes, so tests and callers can tell them apart."""
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class RoundError(ValidationError):
    pass


class OptimiseError(UserError):
    pass


class RunError(UserError):
    pass


class VanStockError(UserError):
    pass

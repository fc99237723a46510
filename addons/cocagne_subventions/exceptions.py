"""The module's own error classes, so tests and callers can tell them apart."""
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import ValidationError


class GrantError(ValidationError):
    pass


class BudgetError(ValidationError):
    pass


class FinancingError(UserError):
    pass


class FinancingWarning(UserWarning):
    pass


class AllocationError(ValidationError):
    pass


class InstalmentError(ValidationError):
    pass

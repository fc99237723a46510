"""The module's own error classes, so tests and callers can tell them apart."""
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class TicketError(UserError):
    "A ticket that the till refuses: nothing of it is recorded."


class SessionClosedError(TicketError):
    "A ticket rung up in a cash session closed since."


class DiscountError(ValidationError):
    pass


class CountError(UserError):
    "A cash count that cannot close the session."


class NoTillError(UserError):
    "A cashier without a till."

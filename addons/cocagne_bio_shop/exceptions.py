# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The module's own error classes, so tests and callers can tell them apart."""
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class CycleError(ValidationError):
    "An order cycle that cannot be changed or moved on so."


class OrderError(ValidationError):
    "An order of a cycle refused: nothing of it is recorded."


class SoldOutError(OrderError):
    "An order that would sell more than an offer's cap."


class SettlementError(UserError):
    "A producers' settlement that cannot be made."


class BasketError(ValidationError):
    "A basket subscription or composition refused."


class AccountError(UserError):
    "A customer account of the storefront refused."

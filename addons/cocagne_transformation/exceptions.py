"""The module's own error classes, so tests and callers can tell them apart."""
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class RecipeError(ValidationError):
    pass


class BatchError(UserError):
    pass


class OrganicClaimError(UserError):
    pass


class LabelError(UserError):
    pass


class TicketLotError(UserError):
    pass


class HarvestError(ValidationError):
    pass


class ColdRoomError(ValidationError):
    pass


class TollError(UserError):
    pass


class MenuError(ValidationError):
    pass


class CateringError(UserError):
    pass


class PlanError(UserError):
    pass

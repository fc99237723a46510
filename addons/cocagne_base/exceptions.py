"""The module's own error classes, so tests and callers can tell them apart."""
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import AccessError, ValidationError


class CertificateError(ValidationError):
    pass


class CertifierError(ValidationError):
    pass


class CoordinatesError(ValidationError):
    pass


class OrganicError(ValidationError):
    pass


class OrganicCoverWarning(UserWarning):
    pass


class ContractError(ValidationError):
    pass


class EmployeeError(ValidationError):
    pass


class ProductError(ValidationError):
    pass


class ConfigurationError(ValidationError):
    pass


class GeocodingError(UserError):
    pass


class GardenAccessError(AccessError):
    pass

# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the pages served by trytond's routes share (the cashier screen, the
Cocagne Bio API): JSON answers and refusals, amounts as they read them, the
guard of the routes of a module."""
import json
from functools import wraps

from trytond.protocols.wrappers import HTTPStatus, Response
from trytond.transaction import Transaction


def answer(data, status=HTTPStatus.OK):
    "data as a JSON response of status."
    return Response(json.dumps(data), status=status,
        content_type='application/json')


def refused(error, status=HTTPStatus.BAD_REQUEST, **data):
    """Nothing of the request is written: answer status {'error': the
    message of the UserError error, **data}."""
    Transaction().rollback()
    return answer(dict(error=error.message, **data), status)


def activated(name, missing, type='model'):
    """Decorate a route func(request, pool, **kwargs), under with_pool, to
    answer 404 {'error': missing} in a database whose pool has no name of
    type: trytond's routes serve every database, with the module or not."""
    def decorator(func):
        @wraps(func)
        def with_module(request, pool, **kwargs):
            try:
                pool.get(name, type=type)
            except KeyError:
                return answer({'error': missing}, HTTPStatus.NOT_FOUND)
            return func(request, pool, **kwargs)
        return with_module
    return decorator


def amount(value):
    "A Decimal amount as the pages read it: a string with 2 decimals."
    return f'{value:.2f}' if value is not None else None

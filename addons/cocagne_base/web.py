# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the pages served by trytond's routes share (the cashier screen, the
Cocagne Bio API): JSON answers and amounts as they read them."""
import json

from trytond.protocols.wrappers import HTTPStatus, Response


def answer(data, status=HTTPStatus.OK):
    "data as a JSON response of status."
    return Response(json.dumps(data), status=status,
        content_type='application/json')


def amount(value):
    "A Decimal amount as the pages read it: a string with 2 decimals."
    return f'{value:.2f}' if value is not None else None

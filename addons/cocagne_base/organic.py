"""Rules of organic certification (Regulation (EU) 2018/848), free of any
Tryton import."""
import datetime as dt
import re

from .period import overlaps

# Code of the control body approved in France, e.g. FR-BIO-01
CERTIFIER_CODE = re.compile(r'^FR-BIO-\d{2}$')
EXPIRING_DAYS = 60


def valid_certifier_code(code):
    "Return whether code follows the FR-BIO-NN format."
    return bool(code and CERTIFIER_CODE.match(code))


def certificate_state(
        valid_from, valid_to, today, expiring_days=EXPIRING_DAYS):
    """Return the state of a certificate on today:
    'future', 'valid', 'expiring' (ends within expiring_days) or 'expired'.
    """
    if today < valid_from:
        return 'future'
    if today > valid_to:
        return 'expired'
    if valid_to - today <= dt.timedelta(days=expiring_days):
        return 'expiring'
    return 'valid'


def covers(periods, date):
    """Return whether one of the (valid_from, valid_to) periods contains
    date, both ends included."""
    return any(overlaps(start, end, date, date) for start, end in periods)


def producer_state(periods, today, expiring_days=EXPIRING_DAYS):
    """Return the certification state of a producer holding certificates
    for the (valid_from, valid_to) periods: the best state among them,
    a renewal already issued turning 'expiring' into 'valid'.
    None when the producer holds no certificate."""
    states = {certificate_state(start, end, today, expiring_days)
        for start, end in periods}
    if 'valid' in states or {'expiring', 'future'} <= states:
        return 'valid'
    for state in ['expiring', 'future', 'expired']:
        if state in states:
            return state

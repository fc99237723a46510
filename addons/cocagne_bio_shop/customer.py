# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The customer accounts of the storefront: web users whose party is a
customer of the shop's garden. Their login refuses at once after too many
failures, and their emails link back to the shop they came from."""
import datetime as dt
import hmac

from trytond import config
from trytond.exceptions import RateLimitException
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .exceptions import AccountError

# the context key of the address of the storefront's account pages, which
# the validation and password reset emails link to
ACCOUNT_URL = 'cocagne_bio_account_url'
PASSWORD_LENGTH = 8


class WebUser(metaclass=PoolMeta):
    __name__ = 'web.user'

    @classmethod
    def shop_login(cls, email, password):
        """The user of email and password, or None (the failure counted).

        Unlike authenticate(), which sleeps in the request for up to 31
        seconds after failures (holding one of the few workers), the login
        is refused at once (RateLimitException) once that email or the
        client's network has failed too often in the last minutes."""
        Attempt = Pool().get('web.user.authenticate.attempt')
        email = email.strip().lower()
        cls._check_attempts(email)
        users = cls.search([('email', '=', email)], limit=1)
        if users:
            user, = users
            valid, new_hash = cls.check_password(password, user.password_hash)
            if valid:
                if new_hash:
                    user.password_hash = new_hash
                    user.save()
                Attempt.remove(email)
                return user
        Attempt.add(email)

    @classmethod
    def _check_attempts(cls, email):
        """Refuse at once (RateLimitException) when email or the client's
        network failed too often in the last minutes ([session] timeout)."""
        Attempt = Pool().get('web.user.authenticate.attempt')
        if (Attempt.count_ip() > config.getint(
                    'session', 'max_attempt_ip_network', default=300)
                or Attempt.count(email) >= config.getint(
                    'session', 'max_attempt', default=5)):
            raise RateLimitException()

    @classmethod
    def _check_password_length(cls, password):
        if len(password) < PASSWORD_LENGTH:
            raise AccountError(gettext(
                    'cocagne_bio_shop.msg_account_password_short',
                    length=PASSWORD_LENGTH))

    @classmethod
    def shop_set_password(cls, email, token, password):
        """Set the password of email's user with the token of the reset
        email: whether it was set (a failure is counted, and the request
        must end without rollback to keep it); refused at once after too
        many failures."""
        Attempt = Pool().get('web.user.authenticate.attempt')
        email = email.strip().lower()
        cls._check_attempts(email)
        cls._check_password_length(password)
        users = cls.search([('email', '=', email)], limit=1)
        user = users[0] if users else None
        if (not user or not user.reset_password_token or not token
                or not hmac.compare_digest(
                    user.reset_password_token.encode(), token.encode())
                or user.reset_password_token_expire < dt.datetime.now()):
            Attempt.add(email)
            return False
        user.clear_reset_password_token()
        user.password = password
        # a password reset also proves the email address
        user.email_valid = True
        user.save()
        Attempt.remove(email)
        return True

    @classmethod
    def sign_up(cls, shop, name, email, password, street, postal_code, city,
            phone=None):
        """A new customer of shop's garden and their account, sent the
        email that validates its address."""
        pool = Pool()
        Party = pool.get('party.party')
        email = email.strip().lower()
        cls._check_password_length(password)
        if cls.search([('email', '=', email)], limit=1):
            raise AccountError(gettext(
                    'cocagne_bio_shop.msg_account_email_taken', email=email))
        address = shop.company.party.address_get()
        country = address.country if address else None
        mechanisms = [{'type': 'email', 'value': email}]
        if phone:
            mechanisms.append({'type': 'phone', 'value': phone})
        party, = Party.create([{
                    'name': name,
                    'company': shop.company.id,
                    'addresses': [('create', [{
                                    'street': street,
                                    'postal_code': postal_code,
                                    'city': city,
                                    'country': country.id if country else None,
                                    }])],
                    'contact_mechanisms': [('create', mechanisms)],
                    }])
        user, = cls.create([{
                    'email': email,
                    'password': password,
                    'party': party.id,
                    }])
        cls.validate_email([user])
        return user

    def get_email_validation_url(self, url=None):
        account = Transaction().context.get(ACCOUNT_URL)
        if url is None and account:
            url = f'{account}/validation'
        return super().get_email_validation_url(url=url)

    def get_email_reset_password_url(self, url=None):
        account = Transaction().context.get(ACCOUNT_URL)
        if url is None and account:
            url = f'{account}/nouveau-mot-de-passe'
        return super().get_email_reset_password_url(url=url)

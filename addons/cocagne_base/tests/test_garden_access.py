"""Garden-owned records: access errors that speak of gardens and the
company_count preference that shows the garden column."""
from trytond.i18n import gettext
from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.modules.currency.tests import create_currency
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from ..exceptions import GardenAccessError
from .tools import StackTestMixin, acting_as, create_garden_user


class GardenAccessTestCase(StackTestMixin, _DBTestCase):
    "Test access to the records of the gardens"
    module = 'cocagne_base'

    def _network(self):
        """Two gardens with a place each and an employee in the second one;
        return (garden_a, garden_b, place_b, employee_b)."""
        pool = Pool()
        Place = pool.get('cocagne.place')
        euro = create_currency('EUR')
        garden_a = create_company("Jardin A", currency=euro)
        garden_b = create_company("Jardin B", currency=euro)
        with set_company(garden_a):
            Place.create([{'name': "Lieu A"}])
        with set_company(garden_b):
            place_b, = Place.create([{'name': "Lieu B"}])
            employee_b = create_employee(garden_b, name="Camille Martin")
        return garden_a, garden_b, place_b, employee_b

    @with_transaction()
    def test_record_of_a_garden_not_selected(self):
        "A record of one's garden not selected names it and its garden"
        pool = Pool()
        Place = pool.get('cocagne.place')
        Model = pool.get('ir.model')
        garden_a, garden_b, place_b, _ = self._network()
        user = create_garden_user([garden_a, garden_b])
        with acting_as(user):
            message = gettext('cocagne_base.msg_garden_access_not_selected',
                record="Lieu B", model=Model.get_name('cocagne.place'),
                garden="Jardin B")
            with self.assertRaises(GardenAccessError) as read:
                Place.read([place_b.id], ['name'])
            with self.assertRaises(GardenAccessError) as write:
                Place.write([Place(place_b.id)], {'name': "Renommé"})
            with self.assertRaises(GardenAccessError) as delete:
                Place.delete([Place(place_b.id)])
        for error in [read, write, delete]:
            self.assertEqual(error.exception.message, message)
        self.assertIn("Jardin B", message)
        self.assertEqual(Place(place_b.id).name, "Lieu B")

    @with_transaction()
    def test_record_of_another_garden(self):
        "A record of a garden one has no access to stays secret"
        pool = Pool()
        Employee = pool.get('company.employee')
        garden_a, garden_b, _, employee_b = self._network()
        user = create_garden_user([garden_a])
        with acting_as(user):
            message = gettext('cocagne_base.msg_garden_access_other',
                garden="Jardin B")
            with self.assertRaises(GardenAccessError) as read:
                Employee.read([employee_b.id], ['party'])
        self.assertEqual(read.exception.message, message)
        self.assertNotIn("Camille", read.exception.message)

    @with_transaction()
    def test_all_gardens(self):
        "A user of several gardens on 'All' opens the records of each"
        pool = Pool()
        Place = pool.get('cocagne.place')
        garden_a, garden_b, place_b, _ = self._network()
        user = create_garden_user([garden_a, garden_b], 'all')
        with acting_as(user):
            self.assertEqual(
                Place.read([place_b.id], ['name'])[0]['name'], "Lieu B")
            self.assertEqual(len(Place.search([])), 2)

    @with_transaction()
    def test_company_count(self):
        "The preferences count the gardens whose records the user sees"
        pool = Pool()
        User = pool.get('res.user')
        garden_a, garden_b, _, _ = self._network()
        user = create_garden_user([garden_a, garden_b])
        for company_filter, count in [('one', 1), ('all', 2)]:
            User.write([user], {'company_filter': company_filter})
            with Transaction().set_user(user.id):
                preferences = User.get_preferences(context_only=True)
            self.assertEqual(preferences['company_count'], count)

    @with_transaction()
    def test_garden_column(self):
        "The garden column of the lists hides for users of one garden"
        pool = Pool()
        Place = pool.get('cocagne.place')
        arch = Place.fields_view_get(view_type='tree')['arch']
        self.assertIn('name="company"', arch)
        _, attributes = arch.split('name="company"', 1)
        encoded = attributes.split('tree_invisible="', 1)[1].split('"', 1)[0]
        encoded = encoded.replace('&quot;', '"')
        for count, invisible in [(None, True), (1, True), (3, False)]:
            context = {} if count is None else {'company_count': count}
            self.assertEqual(
                PYSONDecoder(context).decode(encoded), invisible, count)


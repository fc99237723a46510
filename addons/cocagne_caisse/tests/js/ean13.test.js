'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const {checkDigit, isValid, decodeEmbedded, lookup} = require('../../static/ean13.js');

const point = {weight_prefix: '21', price_prefix: '22'};
const carrots = {id: 11, name: 'Carottes', barcodes: ['3760123456784'],
  scale_code: '00123', price: '2.40', unit: 'kg', weighed: true, digits: 3,
  max_quantity: 50};
const jam = {id: 12, name: 'Confiture de fraises', barcodes: ['3760000000017'],
  scale_code: '00456', price: '4.50', unit: 'u', weighed: false, digits: 0,
  max_quantity: null};
const free = {id: 13, name: 'Panier offert', barcodes: [], scale_code: '00789',
  price: '0.00', unit: 'u', weighed: false, digits: 0, max_quantity: null};
const products = [carrots, jam, free];

/** A 13-digit code made of 12 digits and their check digit. */
function ean(first12) {
  return first12 + checkDigit(first12);
}

test('check digit of well-known codes', () => {
  assert.equal(checkDigit('400638133393'), 1);
  assert.equal(checkDigit('590123412345'), 7);
  assert.equal(checkDigit('376012345678'), 4);
});

test('validation needs 13 digits and the right check digit', () => {
  assert.ok(isValid('4006381333931'));
  assert.ok(!isValid('4006381333932'));
  assert.ok(!isValid('400638133393'));
  assert.ok(!isValid('40063813339311'));
  assert.ok(!isValid('40063813339a1'));
});

test('decoding an in-store weight or price code', () => {
  assert.deepEqual(decodeEmbedded(ean('210012301234'), point),
    {kind: 'weight', scaleCode: '00123', value: 1234});
  assert.deepEqual(decodeEmbedded(ean('220045600450'), point),
    {kind: 'price', scaleCode: '00456', value: 450});
  assert.equal(decodeEmbedded('4006381333931', point), null);
  assert.equal(decodeEmbedded('21001230123', point), null);
});

test('a product barcode is found first', () => {
  assert.deepEqual(lookup('3760000000017', products, point),
    {product: jam, quantity: 1});
  // a weighed product's own barcode: the cashier weighs it
  assert.deepEqual(lookup(' 3760123456784 ', products, point),
    {product: carrots, quantity: null});
});

test('a weight code gives kilograms from grams', () => {
  assert.deepEqual(lookup(ean('210012301234'), products, point),
    {product: carrots, quantity: 1.234});
  assert.deepEqual(lookup(ean('210012300050'), products, point),
    {product: carrots, quantity: 0.05});
});

test('a price code on a weighed product gives price / unit price', () => {
  // 5.00 € at 2.40 €/kg = 2.08333… kg, rounded to the product's 3 digits
  assert.deepEqual(lookup(ean('220012300500'), products, point),
    {product: carrots, quantity: 2.083});
  // 1.00 € / 2.40 = 0.41666… → 0.417 (half-up)
  assert.deepEqual(lookup(ean('220012300100'), products, point),
    {product: carrots, quantity: 0.417});
  // 0.03 € / 2.40 = 0.0125 exactly: a tie rounds up
  assert.deepEqual(lookup(ean('220012300003'), products, point),
    {product: carrots, quantity: 0.013});
});

test('a price code on a product sold by the piece counts pieces', () => {
  assert.deepEqual(lookup(ean('220045600900'), products, point),
    {product: jam, quantity: 2});
});

test('errors: bad check digit, unknown code, codes that do not fit', () => {
  const good = ean('210012301234');
  const bad = good.slice(0, 12) + ((Number(good[12]) + 1) % 10);
  assert.deepEqual(lookup(bad, products, point), {error: 'checksum'});
  assert.deepEqual(lookup('4006381333931', products, point), {error: 'unknown'});
  assert.deepEqual(lookup(ean('219999901234'), products, point), {error: 'unknown'});
  assert.deepEqual(lookup('12345', products, point), {error: 'unknown'});
  // a weight on a product sold by the piece, a price on a free product
  assert.deepEqual(lookup(ean('210045601234'), products, point), {error: 'unknown'});
  assert.deepEqual(lookup(ean('220078900100'), products, point), {error: 'unknown'});
});

import { IsDefined, ValidateBy, ValidateIf } from 'class-validator';
import type { ValidationArguments } from 'class-validator';
import { PAYMENT_METHODS } from '../order/order.js';
import type { PaymentMethod } from '../order/order.js';
import {
  cardLast4Problem,
  dateTimeProblem,
  emailProblem,
  identifierProblem,
  integerProblem,
  itemListProblem,
  moneyProblem,
  objectProblem,
  oneOfProblem,
  textProblem,
} from './rules.js';
import type { Problem, TextOptions } from './rules.js';

/**
 * class-validator decorators for the order API DTOs. Each wraps one pure rule from rules.ts and
 * reports the rule's own message, so a field gets one precise message ("must be at most 20
 * characters") rather than a list of every constraint it has.
 */

type Check = (value: unknown, args: ValidationArguments) => Problem;

function rule(name: string, check: Check): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => args !== undefined && check(value, args) === null,
      defaultMessage: (args?: ValidationArguments) => (args === undefined ? 'is invalid' : (check(args.value, args) ?? 'is invalid')),
    },
  });
}

function combine(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, propertyKey) => {
    for (const decorator of decorators) decorator(target, propertyKey);
  };
}

export const REQUIRED_MESSAGE = 'is required';

/** Present and not null. Validation reports only this message when it fails. */
export function Required(): PropertyDecorator {
  return IsDefined({ message: REQUIRED_MESSAGE });
}

/** May be absent; when present (null included) its rules apply. */
export function OptionalField(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

function paymentMethodOf(order: object): unknown {
  return (order as { paymentMethod?: unknown }).paymentMethod;
}

/**
 * A field that belongs to some payment methods only (cardLast4 to cards, poNumber to purchase
 * orders): required when the order uses one of them, refused when it uses another known method.
 */
export function ForPaymentMethods(methods: readonly PaymentMethod[]): PropertyDecorator {
  const label = methods.join(' and ');
  const usesOneOf = (order: object): boolean => (methods as readonly unknown[]).includes(paymentMethodOf(order));
  const usesAnotherKnownMethod = (order: object): boolean =>
    !usesOneOf(order) && (PAYMENT_METHODS as readonly unknown[]).includes(paymentMethodOf(order));
  return combine(
    ValidateIf((order: object, value: unknown) => value !== undefined || usesOneOf(order)),
    IsDefined({ message: `is required for ${label} payments` }),
    rule('paymentMethodSpecific', (_value, args) =>
      usesAnotherKnownMethod(args.object) ? `is only allowed for ${label} payments` : null,
    ),
  );
}

export const Text = (maxLength: number, options?: TextOptions): PropertyDecorator =>
  rule('text', (value) => textProblem(value, maxLength, options));
export const Identifier = (): PropertyDecorator => rule('identifier', identifierProblem);
export const Email = (): PropertyDecorator => rule('email', emailProblem);
export const OneOf = (allowed: readonly string[]): PropertyDecorator => rule('oneOf', (value) => oneOfProblem(value, allowed));
export const IntegerBetween = (min: number, max: number): PropertyDecorator =>
  rule('integerBetween', (value) => integerProblem(value, min, max));
export const Money = (): PropertyDecorator => rule('money', moneyProblem);
export const ItemList = (): PropertyDecorator => rule('itemList', itemListProblem);
export const NestedObject = (): PropertyDecorator => rule('nestedObject', objectProblem);
export const CardLast4 = (): PropertyDecorator => rule('cardLast4', cardLast4Problem);
export const DateTimeWithOffset = (): PropertyDecorator => rule('dateTimeWithOffset', dateTimeProblem);

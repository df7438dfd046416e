/** Query dates are UTC calendar days; the domain's resolveDateRange checks they exist and are in order. */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const DATE_MESSAGE = 'must be a date in the form YYYY-MM-DD';

/** Phone numbers as the forms and contracts accept them (one pattern for the server and the console). */

/** A mobile number: 11 digits, starting with 1. */
export const MOBILE_PATTERN = /^1\d{10}$/;

/** A mobile or fixed-line number (area code, an optional hyphen, the number). */
export const PHONE_PATTERN = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;

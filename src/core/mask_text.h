/*
 * mask_text.h — personal numbers inside free text. Residents type their own
 * phone or ID number into a report's description ("请联系我 13812345678");
 * wherever such text is shown to the public (Open311's request list), the
 * numbers are masked with the same rules as the structured fields.
 */
#ifndef WM_MASK_TEXT_H
#define WM_MASK_TEXT_H
#include <stddef.h>

/* Masks, in place and keeping the length, every mainland mobile number
 * (11 digits 1[3-9]…, also "+86"/"86" before it and "138-1234-5678" or
 * "138 1234 5678" groupings: 3 + **** + 4) and every resident ID number
 * (18 characters, 17 digits + digit/X, or the old 15 digits: 2 + stars + 3)
 * that stands alone as a run of ASCII digits. Other numbers (dates, house
 * numbers, amounts) are left alone. Returns the number of masked items. */
int mask_text_numbers(char *s, size_t n);
#endif

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
 * (11 digits 1[3-9]…, also "+86"/"86" before it: 3 + **** + 4) and every
 * resident ID number (18 characters, 17 digits + digit/X, or the old 15
 * digits written whole: 2 + stars + 3), in ASCII or full-width digits
 * (starred with ＊), also when written in groups with one kind of separator
 * (space, ".", "-", "—", "–", "－", "．", ideographic space; one or two of
 * them): "138.1234.5678", "1381234 5678", "3101 1520 0211 2392 49",
 * "310115-20021123-9249". Digits written together are never split, so
 * other numbers (dates, house numbers, amounts) are left alone. Returns the
 * number of masked items. */
int mask_text_numbers(char *s, size_t n);
/* Building, unit, floor and room numbers (below compound level, SPEC §2)
 * lose their digits, in place: "锦绣前城12号楼502室" → "锦绣前城*号楼*室",
 * "3单元5楼" → "*单元*楼", "12-502" → "*-*". Street house numbers
 * ("锦绣路100号") stay. Returns the new length; s is NUL-terminated there
 * when it shrank. */
size_t mask_text_places(char *s, size_t n);
#endif

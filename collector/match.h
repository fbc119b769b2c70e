/* match.h - matching and ordering for program items: DisplayName globs, dotted versions. */
#ifndef RKC_MATCH_H
#define RKC_MATCH_H

#include <stddef.h>
#include <stdint.h>

/* Whether the UTF-16 text s[0..sn) matches the glob pat[0..pn) as a whole: `*` matches
 * any run of characters (also none), `?` exactly one character (a surrogate pair
 * counts as one), anything else itself, code unit by code unit. Case-sensitive: a
 * caller that wants case-insensitive matching folds both sides first. Linear in
 * pn * sn at worst, never exponential. */
int rkc_glob_match16(const uint16_t *pat, size_t pn, const uint16_t *s, size_t sn);

/* Orders version strings: runs of digits compare as numbers (so 12.0.9 < 12.0.10),
 * other bytes as bytes; a NULL version sorts after every string. Returns <0, 0, >0. */
int rkc_version_cmp(const char *a, const char *b);

#endif

/* addr.h - addresses as the project and the schema write them: the address family of
 * each (IPv4, IPv6 or a DNS name), strict validation, and comparison. */
#ifndef RK_ADDR_H
#define RK_ADDR_H

#include <stddef.h>

/* Address families, as bits so that an end's families form a set. A name (a DNS name
 * or a wildcard name) is a family of its own: it cannot be typed IPv4 or IPv6 before it
 * is resolved, so rules and export lines keep it apart from literal addresses. */
#define RK_FAM_V4 1u
#define RK_FAM_V6 2u
#define RK_FAM_NAME 4u

/* The family of one address text: RK_FAM_V4 for an IPv4 address or CIDR block,
 * RK_FAM_V6 for an IPv6 address or CIDR block, RK_FAM_NAME for anything else (a name).
 * The text is not validated here (see rk_addr_check_*). */
unsigned rk_addr_family(const char *s);

/* "ipv4", "ipv6", "name" for one family bit; "none" for 0 (no family in common). These
 * words are a contract: findings.json, firewall.csv and the export files use them. */
const char *rk_family_str(unsigned fam);

/* The family of a flow or rule from the families of its two sides: ipv4 or ipv6 when
 * both sides are literal addresses of that family, name when a side is a name, 0 when
 * the ends share no family. */
unsigned rk_family_of(unsigned src, unsigned dst);

/* Checks a host's address (project `hosts[].address`): one IPv4 address in dotted
 * decimal without leading zeros, or one IPv6 address; not a CIDR block, not the
 * unspecified, broadcast or a multicast address, no IPv6 zone index, no IPv4-mapped or
 * IPv4-compatible IPv6 address (write the IPv4 address). Returns 0, or -1 with the
 * reason ("is a CIDR block; ...") in why. A text that is no address at all gives -2
 * (the caller words that case). */
int rk_addr_check_host(const char *s, char *why, size_t whylen);

/* Checks an endpoint address (schema `endpoints[].addresses`, project `endpoints`): a
 * DNS name (a leading "*." label when wildcard), an address as for a host, or a CIDR
 * block whose prefix length has no leading zeros and is in range and whose host bits
 * are zero (10.0.0.0/8, not 10.0.0.1/8). Returns 0, -1 with the reason in why, or -2
 * when the text is neither a name nor an address. */
int rk_addr_check_entry(const char *s, int wildcard, char *why, size_t whylen);

/* 1 when a and b name the same address: literals compared by value ("2001:DB8::1" and
 * "2001:db8:0::1"), names without regard to case. */
int rk_addr_same(const char *a, const char *b);

#endif

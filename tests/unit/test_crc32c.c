/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of crc32c.c: the test vectors of RFC 3720 B.4 and the
 * classic "123456789", both through the crc32 instruction (when this CPU
 * has it) and the slice-by-8 tables, and every length and alignment up
 * to 80 bytes against a bit-at-a-time reference.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crc32c.h"
#include "util.h"

/* The iSCSI read command PDU of RFC 3720 B.4. */
static const uint8_t iscsi_pdu[48] = {
	0x01, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x14, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0, 0x14, 0, 0, 0, 0x18,
	0x28, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0,
};

enum { V_ZERO, V_ONES, V_UP, V_DOWN, V_DIGITS, V_PDU };

static const struct {
	int		 kind;
	uint32_t	 crc;
} vectors[] = {
	{ V_ZERO,	0x8a9136aa },	/* 32 bytes of 0x00 */
	{ V_ONES,	0x62a8ab43 },	/* 32 bytes of 0xff */
	{ V_UP,		0x46dd794e },	/* 0x00, 0x01, ... 0x1f */
	{ V_DOWN,	0x113fdb5c },	/* 0x1f, 0x1e, ... 0x00 */
	{ V_DIGITS,	0xe3069283 },	/* "123456789" */
	{ V_PDU,	0xd9963a56 },	/* iSCSI read PDU */
};

static size_t
vector(int kind, uint8_t *b)
{
	size_t	 i;

	switch (kind) {
	case V_ZERO:
		memset(b, 0, 32);
		return 32;
	case V_ONES:
		memset(b, 0xff, 32);
		return 32;
	case V_UP:
		for (i = 0; i < 32; i++)
			b[i] = (uint8_t)i;
		return 32;
	case V_DOWN:
		for (i = 0; i < 32; i++)
			b[i] = (uint8_t)(31 - i);
		return 32;
	case V_DIGITS:
		memcpy(b, "123456789", 9);
		return 9;
	default:
		memcpy(b, iscsi_pdu, sizeof(iscsi_pdu));
		return sizeof(iscsi_pdu);
	}
}

static uint32_t
crc_bitwise(const uint8_t *b, size_t len)
{
	uint32_t	 c = ~0U;
	unsigned	 k;

	while (len-- > 0) {
		c ^= *b++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78U : c >> 1;
	}
	return ~c;
}

static void
check_vectors(void)
{
	uint8_t	 buf[64 + 8];
	size_t	 i, len, off;

	for (i = 0; i < nitems(vectors); i++)
		for (off = 0; off < 8; off++) {
			len = vector(vectors[i].kind, buf + off);
			assert_int_equal(crc32c(buf + off, len),
			    vectors[i].crc);
		}
}

static void
test_crc32c_vectors(void **state)
{
	(void)state;
	crc32c_force_sw(0);
	check_vectors();
	crc32c_force_sw(1);
	check_vectors();
	crc32c_force_sw(0);
}

static void
test_crc32c_lengths_and_alignments(void **state)
{
	uint8_t		 buf[96];
	uint32_t	 want, c;
	size_t		 len, off, cut;
	int		 sw;

	(void)state;
	for (len = 0; len < sizeof(buf); len++)
		buf[len] = (uint8_t)(len * 37 + 11);
	for (sw = 0; sw <= 1; sw++) {
		crc32c_force_sw(sw);
		for (off = 0; off < 8; off++)
			for (len = 0; len + off <= 88; len++) {
				want = crc_bitwise(buf + off, len);
				assert_int_equal(crc32c(buf + off, len), want);
				/* In two pieces, as pkt.c skips the field. */
				cut = len / 3;
				c = crc32c_update(~0U, buf + off, cut);
				c = crc32c_update(c, buf + off + cut,
				    len - cut);
				assert_int_equal(~c, want);
			}
	}
	crc32c_force_sw(0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32c_vectors),
		cmocka_unit_test(test_crc32c_lengths_and_alignments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

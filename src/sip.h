/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SIP persistence engine's decoder (--pe sip): the Call-ID of a SIP
 * message carried in one UDP datagram, as IPVS's ip_vs_pe_sip.c finds it
 * with nf_conntrack_sip's header parser.  Pure code, no allocation;
 * workers call it on datagrams to a persistent UDP service with pe sip.
 */
#ifndef UVS_SIP_H
#define UVS_SIP_H

#include <stddef.h>
#include <stdint.h>

/* IPVS's IP_VS_PEDATA_MAXLEN: a longer Call-ID is refused. */
#define SIP_CALLID_MAX	255

/* Persistence engines: none, or sip. */
enum {
	PE_NONE = 0,
	PE_SIP = 1,
};

/*
 * The Call-ID of the SIP message in the <len> bytes at <msg>: the first
 * header line (not the request or status line, not after the blank line
 * that ends the headers) named "Call-ID" or its compact form "i",
 * case-insensitively, then optional blanks or folded whitespace, ':',
 * optional blanks or folding, and a value that is word["@"word] in RFC
 * 3261's characters, which a CR or LF must end right away (no trailing
 * blanks, as IPVS's get_callid()).  A header whose value does not parse
 * is skipped and the search goes on, as IPVS does.  Returns 0 with the
 * value in <ret> (pointing into <msg>) and <ret_len> (1..SIP_CALLID_MAX),
 * -ENOENT without a usable Call-ID header, -E2BIG when it is longer than
 * SIP_CALLID_MAX.
 */
int	 sip_callid(const uint8_t *msg, size_t len, const uint8_t **ret,
	    size_t *ret_len);

#endif

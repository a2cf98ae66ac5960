/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Keeping the host stack out of uvsd's traffic.  AF_PACKET taps copy, they
 * do not consume, so uvsd owns a netdev table "uvs" with an ingress chain
 * per interface that drops, after the taps have seen them, frames to a
 * virtual service (address, protocol, port) and replies from nat real
 * servers (address, protocol, port).  The sets are replaced in one
 * transaction per snapshot.  The table is deleted on exit, and a stale
 * one (left by a crash) on start.  Control thread; uses libnftables.
 */
#ifndef UVS_NFT_H
#define UVS_NFT_H

struct iface;
struct table;
struct uvs_err;

#define NFT_TABLE	"uvs"

struct nft;

/*
 * Create the table and chains for <ifs>[<n>] (replacing a stale one);
 * fullnat replies to local addresses are dropped on ports <lport_lo> to
 * <lport_hi>.
 */
struct nft *nft_open(const struct iface *ifs, unsigned n, uint16_t lport_lo,
	    uint16_t lport_hi, struct uvs_err *err);
/* Make the sets match snapshot <t>. 0 or -errno (err filled). */
int	 nft_sync(struct nft *nf, const struct table *t, struct uvs_err *err);
/* Delete the table and free <nf> (NULL is fine). */
void	 nft_close(struct nft *nf);
/* Delete a table left by an earlier uvsd, if any.  0 or -errno. */
int	 nft_remove_stale(void);

#endif

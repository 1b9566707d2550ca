/*
 * pv-hostile-frontend: a guest xl builds with a PV disk and a PV network,
 * acting as a hostile front end to Linux's xen-blkback and xen-netback in
 * dom0 (tests/system/dom0/pv-hostile-frontend.sh starts it).
 *
 * It connects like blkfront and netfront do: it grants dom0 its ring
 * pages, allocates an unbound event channel for the back end, writes the
 * ring references, the port and the features under device/vbd/<id>/ and
 * device/vif/<id>/, and waits for the back end's state Connected. Then,
 * for each device:
 *
 *  - one valid request (the ring works), then one bad request at a time,
 *    each answered with an error: grant references never granted, past
 *    the table, read-only for a read, granted to another domain; segment
 *    counts of 0 and 255 (more than BLKIF_MAX_SEGMENTS_PER_REQUEST) and
 *    absurd sectors; indirect requests with absurd counts and segment
 *    lists; unknown operations; request ids no front end would use;
 *  - a whole ring of garbage at once, all answered;
 *  - a bounded time of requests rewritten while the back end reads them;
 *  - req_prod far ahead of rsp_prod: blkback logs "Frontend provided
 *    bogus ring requests" and halts the ring, netback logs "Impossible
 *    number of requests" and disables the interface. A valid request
 *    afterwards stays unanswered.
 *
 * Every line it prints starts with "hostile: "; it ends with one summary
 * line, then idles in WFI. It never shuts itself down on purpose: dom0
 * destroys it.
 */
#include <xtf.h>
#include <xtf/grant.h>
#include <xtf/xenmem.h>
#include <xtf/xenstore.h>

#include <xen/io/blkif.h>
#include <xen/io/netif.h>
#include <xen/io/protocols.h>
#include <xen/io/xenbus.h>

const char test_title[] = "Hostile PV front end to blkback and netback";

#define PAGE_SIZE 4096UL
#define SECOND_US 1000000UL

#define CONNECT_US (60 * SECOND_US) /* for a back end's state */
#define ANSWER_US (5 * SECOND_US) /* for a ring's responses */
#define RACE_US (2 * SECOND_US) /* of rewriting a ring */
#define RACE_ROUNDS 2000000UL /* at most, whatever the clock */
#define HOLD_US (5 * SECOND_US) /* req_prod left far ahead */
#define SILENT_US (3 * SECOND_US) /* a halted ring stays silent */
#define IDLE_S (24 * 3600UL) /* then power off, if still alive */
#define BOGUS_AHEAD 0x10000U

/* Grant references: those below 8 are the toolstack's. */
enum {
	REF_BLK_RING = GNTTAB_NR_RESERVED_ENTRIES,
	REF_BLK_DATA, /* writable to the back end */
	REF_BLK_INDIRECT, /* read-only: a segment list of garbage */
	REF_READONLY, /* read-only: a read needs to write it */
	REF_OTHER_DOMAIN, /* granted to a domain that is not the back end */
	REF_NET_TX,
	REF_NET_RX,
	REF_NET_DATA, /* read-only: a valid Ethernet frame */
	REF_NEVER = 300,
};
#define REF_PAST_TABLE 0xfffffff0U
#define OTHER_DOMAIN 0x7fe0U /* a domain ID nobody has */
/* Random references stay above every reference granted here. */
#define REF_RANDOM_BASE 0x10000U

static uint8_t blk_ring_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t blk_data_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t blk_indirect_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t readonly_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t other_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t net_tx_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t net_rx_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t net_data_page[PAGE_SIZE] __aligned(PAGE_SIZE);

/* A front end's place in xenstore and its event channel. */
struct frontend {
	const char *type; /* "vbd" or "vif" */
	char path[48]; /* device/<type>/<id>, relative to our home */
	char backend[96]; /* the back end's directory */
	unsigned long backend_id;
	evtchn_port_t port;
};

/* What one device's attacks gave, for the summary. */
struct tally {
	bool connected;
	unsigned int cases, expected; /* requests sent one by one */
	bool batch, race, halted;
};

static struct frontend vbd = {.type = "vbd"};
static struct frontend vif = {.type = "vif"};
static blkif_front_ring_t blk;
static netif_tx_front_ring_t tx;
static netif_rx_front_ring_t rx;
static uint64_t prng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t prng(void)
{
	prng_state ^= prng_state << 13;
	prng_state ^= prng_state >> 7;
	prng_state ^= prng_state << 17;
	return prng_state;
}

static xen_pfn_t gfn_of(const void *page)
{
	return (xen_pfn_t)((uintptr_t)page >> 12);
}

/* The xenbus handshake, through xenstore. */

static long fe_write_str(const struct frontend *fe, const char *key,
			 const char *value)
{
	char path[96];
	long rc;

	snprintf(path, sizeof(path), "%s/%s", fe->path, key);
	rc = xenstore_write(path, value);
	if (rc) {
		printf("hostile: %s: writing %s failed (%ld)\n", fe->type, key,
		       rc);
	}
	return rc;
}

static long fe_write(const struct frontend *fe, const char *key,
		     unsigned long value)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lu", value);
	return fe_write_str(fe, key, buf);
}

/* Wait for the back end's state to reach want; the state last read. */
static long be_wait_state(const struct frontend *fe, unsigned long want)
{
	char path[112];

	snprintf(path, sizeof(path), "%s/state", fe->backend);
	return xenstore_wait_uint(path, want, CONNECT_US);
}

/* The first device of fe->type, its back end's path and domain. */
static bool fe_find(struct frontend *fe)
{
	char dir[24], names[64], path[96];
	long n;

	snprintf(dir, sizeof(dir), "device/%s", fe->type);
	n = xenstore_directory(dir, names, sizeof(names) - 1);
	if (n <= 0) {
		printf("hostile: %s: no device in xenstore (%ld)\n", fe->type,
		       n);
		return false;
	}
	names[n] = '\0';
	snprintf(fe->path, sizeof(fe->path), "%s/%s", dir, names);
	snprintf(path, sizeof(path), "%s/backend", fe->path);
	n = xenstore_read(path, fe->backend, sizeof(fe->backend));
	if (n <= 0) {
		printf("hostile: %s: no back end path (%ld)\n", fe->type, n);
		return false;
	}
	snprintf(path, sizeof(path), "%s/backend-id", fe->path);
	n = xenstore_read_uint(path, &fe->backend_id);
	if (n) {
		printf("hostile: %s: no backend-id (%ld)\n", fe->type, n);
		return false;
	}
	printf("hostile: %s: %s, back end in domain %lu\n", fe->type, fe->path,
	       fe->backend_id);
	return true;
}

/*
 * Connect as blkfront/netfront do: wait for InitWait, publish the rings
 * (publish() writes the device's keys), announce Initialised (block) or
 * Connected (network), wait for the back end's Connected, then be
 * Connected ourselves.
 */
static bool fe_connect(struct frontend *fe,
		       long (*publish)(const struct frontend *),
		       unsigned long announce)
{
	long state;

	if (!fe_find(fe)) {
		return false;
	}
	state = be_wait_state(fe, XenbusStateInitWait);
	if (state != XenbusStateInitWait && state != XenbusStateConnected) {
		printf("hostile: %s: back end state %ld, not InitWait\n",
		       fe->type, state);
		return false;
	}
	if (xtf_evtchn_alloc_unbound((domid_t)fe->backend_id, &fe->port)) {
		printf("hostile: %s: EVTCHNOP_alloc_unbound failed\n",
		       fe->type);
		return false;
	}
	if (publish(fe) || fe_write(fe, "state", announce)) {
		return false;
	}
	state = be_wait_state(fe, XenbusStateConnected);
	if (state != XenbusStateConnected) {
		printf("hostile: %s: back end state %ld, not Connected\n",
		       fe->type, state);
		return false;
	}
	if (announce != XenbusStateConnected &&
	    fe_write(fe, "state", XenbusStateConnected)) {
		return false;
	}
	printf("hostile: %s: connected (event channel %u)\n", fe->type,
	       fe->port);
	return true;
}

/* Shared rings, either device's. */

/* Show requests up to prod to the back end and notify it. */
static void ring_publish(RING_IDX *req_prod, RING_IDX prod, evtchn_port_t port)
{
	dmb(ish); /* the requests before the index that shows them */
	WRITE_ONCE(*req_prod, prod);
	dmb(ish);
	xtf_evtchn_send(port);
}

/* Wait until *rsp_prod reaches want; false if it did not in time. */
static bool ring_wait(RING_IDX *rsp_prod, RING_IDX want, uint64_t us)
{
	uint64_t deadline = timer_now() + timer_us_to_ticks(us);

	while ((int)(READ_ONCE(*rsp_prod) - want) < 0) {
		if (timer_expired(deadline)) {
			return false;
		}
		timer_sleep_us(1000);
	}
	dmb(ish); /* the index before the responses it covers */
	return true;
}

/* The block device: requests to blkback. */

#define BLK_ID(n) (0xb10c000000000000ULL | (n))
/* Sectors of the hostile guest's disk the dom0 script creates (1 MiB). */
#define BLK_SECTORS 2048U

static long blk_publish(const struct frontend *fe)
{
	blkif_sring_t *sring = (blkif_sring_t *)blk_ring_page;

	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&blk, sring, PAGE_SIZE);
	grant_access(REF_BLK_RING, (domid_t)fe->backend_id,
		     gfn_of(blk_ring_page), false);
	if (fe_write(fe, "ring-ref", REF_BLK_RING) ||
	    fe_write(fe, "event-channel", fe->port) ||
	    fe_write_str(fe, "protocol", XEN_IO_PROTO_ABI_NATIVE)) {
		return -1;
	}
	return 0;
}

static void blk_read(blkif_request_t *req, grant_ref_t gref)
{
	req->operation = BLKIF_OP_READ;
	req->nr_segments = 1;
	req->handle = 0;
	req->sector_number = 0;
	req->seg[0].gref = gref;
	req->seg[0].first_sect = 0;
	req->seg[0].last_sect = 7;
}

static void blk_valid(blkif_request_t *req)
{
	blk_read(req, REF_BLK_DATA);
}

static void blk_never_granted(blkif_request_t *req)
{
	blk_read(req, REF_NEVER);
}

static void blk_past_table(blkif_request_t *req)
{
	blk_read(req, REF_PAST_TABLE);
}

static void blk_readonly(blkif_request_t *req)
{
	blk_read(req, REF_READONLY);
}

static void blk_other_domain(blkif_request_t *req)
{
	blk_read(req, REF_OTHER_DOMAIN);
}

static void blk_no_segments(blkif_request_t *req)
{
	blk_read(req, REF_BLK_DATA);
	req->nr_segments = 0;
}

static void blk_255_segments(blkif_request_t *req)
{
	blk_read(req, REF_BLK_DATA);
	req->nr_segments = 255;
}

static void blk_sector_past_page(blkif_request_t *req)
{
	blk_read(req, REF_BLK_DATA);
	req->seg[0].last_sect = 9;
}

static void blk_sectors_reversed(blkif_request_t *req)
{
	blk_read(req, REF_BLK_DATA);
	req->seg[0].first_sect = 6;
	req->seg[0].last_sect = 1;
}

static void blk_past_disk(blkif_request_t *req)
{
	blk_read(req, REF_BLK_DATA);
	req->sector_number = BLK_SECTORS;
}

static void blk_sector_wraps(blkif_request_t *req)
{
	blk_read(req, REF_BLK_DATA);
	req->sector_number = ~0ULL - 3;
}

static void blk_indirect(blkif_request_t *req, uint8_t op, uint16_t nseg,
			 grant_ref_t gref)
{
	blkif_request_indirect_t *ind = (blkif_request_indirect_t *)req;
	unsigned int i;

	ind->operation = BLKIF_OP_INDIRECT;
	ind->indirect_op = op;
	ind->nr_segments = nseg;
	ind->sector_number = 0;
	ind->handle = 0;
	for (i = 0; i < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++) {
		ind->indirect_grefs[i] = gref;
	}
}

static void blk_indirect_huge(blkif_request_t *req)
{
	blk_indirect(req, BLKIF_OP_READ, 0xffff, REF_BLK_INDIRECT);
}

static void blk_indirect_4097(blkif_request_t *req)
{
	blk_indirect(req, BLKIF_OP_WRITE, 8 * 512 + 1, REF_BLK_INDIRECT);
}

static void blk_indirect_zero(blkif_request_t *req)
{
	blk_indirect(req, BLKIF_OP_READ, 0, REF_BLK_INDIRECT);
}

static void blk_indirect_garbage_list(blkif_request_t *req)
{
	blk_indirect(req, BLKIF_OP_WRITE, 200, REF_BLK_INDIRECT);
}

static void blk_indirect_bad_page(blkif_request_t *req)
{
	blk_indirect(req, BLKIF_OP_WRITE, 200, REF_NEVER);
}

static void blk_indirect_flush(blkif_request_t *req)
{
	blk_indirect(req, BLKIF_OP_FLUSH_DISKCACHE, 1, REF_BLK_INDIRECT);
}

static void blk_unknown_op(blkif_request_t *req)
{
	blk_read(req, REF_NEVER);
	req->operation = 0xee;
}

static void blk_discard_wraps(blkif_request_t *req)
{
	blkif_request_discard_t *d = (blkif_request_discard_t *)req;

	d->operation = BLKIF_OP_DISCARD;
	d->flag = 0;
	d->sector_number = ~0ULL - 10;
	d->nr_sectors = 100;
}

struct blk_case {
	const char *what;
	void (*fill)(blkif_request_t *req);
	uint64_t id;
	int16_t want;
};

static const struct blk_case blk_cases[] = {
	{"valid read of sector 0", blk_valid, BLK_ID(1), BLKIF_RSP_OKAY},
	{"grant ref never granted", blk_never_granted, BLK_ID(2),
	 BLKIF_RSP_ERROR},
	{"grant ref past the table", blk_past_table, BLK_ID(3),
	 BLKIF_RSP_ERROR},
	{"read into a read-only grant", blk_readonly, BLK_ID(4),
	 BLKIF_RSP_ERROR},
	{"grant for another domain", blk_other_domain, BLK_ID(5),
	 BLKIF_RSP_ERROR},
	{"0 segments", blk_no_segments, BLK_ID(6), BLKIF_RSP_ERROR},
	{"255 segments (max 11)", blk_255_segments, ~0ULL, BLKIF_RSP_ERROR},
	{"last_sect 9 in a 4 KiB page", blk_sector_past_page, BLK_ID(8),
	 BLKIF_RSP_ERROR},
	{"first_sect > last_sect", blk_sectors_reversed, BLK_ID(9),
	 BLKIF_RSP_ERROR},
	{"sector past the disk", blk_past_disk, 0x8000000000000000ULL,
	 BLKIF_RSP_ERROR},
	{"sector range wrapping", blk_sector_wraps, BLK_ID(11),
	 BLKIF_RSP_ERROR},
	{"indirect, 65535 segments", blk_indirect_huge, BLK_ID(12),
	 BLKIF_RSP_ERROR},
	{"indirect, 4097 segments", blk_indirect_4097, BLK_ID(13),
	 BLKIF_RSP_ERROR},
	{"indirect, 0 segments", blk_indirect_zero, BLK_ID(14),
	 BLKIF_RSP_ERROR},
	{"indirect, garbage segment list", blk_indirect_garbage_list,
	 BLK_ID(15), BLKIF_RSP_ERROR},
	{"indirect, page never granted", blk_indirect_bad_page, BLK_ID(16),
	 BLKIF_RSP_ERROR},
	{"indirect flush", blk_indirect_flush, BLK_ID(17), BLKIF_RSP_ERROR},
	{"unknown operation 0xee", blk_unknown_op, 0, BLKIF_RSP_EOPNOTSUPP},
	{"discard wrapping past the end", blk_discard_wraps, BLK_ID(19),
	 BLKIF_RSP_ERROR},
};

static bool blk_one(const struct blk_case *c)
{
	blkif_request_t *req = RING_GET_REQUEST(&blk, blk.req_prod_pvt);
	blkif_response_t *rsp;

	memset(req, 0, sizeof(*req));
	c->fill(req);
	req->id = c->id;
	blk.req_prod_pvt++;
	ring_publish(&blk.sring->req_prod, blk.req_prod_pvt, vbd.port);
	if (!ring_wait(&blk.sring->rsp_prod, blk.req_prod_pvt, ANSWER_US)) {
		printf("hostile: vbd: %-32s no answer: UNEXPECTED\n", c->what);
		return false;
	}
	rsp = RING_GET_RESPONSE(&blk, blk.req_prod_pvt - 1);
	blk.rsp_cons = blk.req_prod_pvt;
	printf("hostile: vbd: %-32s status %d%s%s\n", c->what, rsp->status,
	       rsp->id == c->id ? "" : " (id changed)",
	       rsp->status == c->want && rsp->id == c->id ? ""
							  : ": UNEXPECTED");
	return rsp->status == c->want && rsp->id == c->id;
}

/* Garbage no back end should act on: every grant ref is unknown. */
static void blk_garbage(blkif_request_t *req)
{
	static const uint8_t ops[] = {BLKIF_OP_READ, BLKIF_OP_WRITE,
				      BLKIF_OP_INDIRECT, 0x7f};
	uint64_t r = prng();
	unsigned int i;

	req->operation = ops[r & 3];
	req->nr_segments = (uint8_t)(r >> 8);
	req->handle = (uint16_t)(r >> 16);
	req->id = prng();
	req->sector_number = prng();
	for (i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
		r = prng();
		req->seg[i].gref = REF_RANDOM_BASE | (grant_ref_t)r;
		req->seg[i].first_sect = (uint8_t)(r >> 32);
		req->seg[i].last_sect = (uint8_t)(r >> 40);
	}
	if (req->operation == BLKIF_OP_INDIRECT) {
		blkif_request_indirect_t *ind = (blkif_request_indirect_t *)req;

		ind->indirect_op = ops[(r >> 48) & 1];
		ind->nr_segments = (uint16_t)prng();
		for (i = 0; i < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++) {
			ind->indirect_grefs[i] = REF_RANDOM_BASE |
						 (grant_ref_t)prng();
		}
	}
}

/* A whole ring of garbage in one go: every request is answered. */
static bool blk_batch(void)
{
	RING_IDX n = RING_SIZE(&blk), i;

	for (i = 0; i < n; i++) {
		blk_garbage(RING_GET_REQUEST(&blk, blk.req_prod_pvt + i));
	}
	blk.req_prod_pvt += n;
	ring_publish(&blk.sring->req_prod, blk.req_prod_pvt, vbd.port);
	if (!ring_wait(&blk.sring->rsp_prod, blk.req_prod_pvt, ANSWER_US)) {
		printf("hostile: vbd: a ring of %u garbage requests: %u "
		       "answered: UNEXPECTED\n",
		       n, n - (blk.req_prod_pvt - blk.sring->rsp_prod));
		return false;
	}
	blk.rsp_cons = blk.req_prod_pvt;
	printf("hostile: vbd: a ring of %u garbage requests: all answered\n",
	       n);
	return true;
}

/*
 * For RACE_US, keep the ring full of garbage and keep rewriting the
 * requests the back end has not answered yet, while it reads them. The
 * producer index only moves forward and never past a full ring.
 */
static bool blk_race(void)
{
	uint64_t end = timer_now() + timer_us_to_ticks(RACE_US);
	unsigned long sent = 0, rewrites = 0, round;

	for (round = 0; round < RACE_ROUNDS && !timer_expired(end); round++) {
		RING_IDX rsp = READ_ONCE(blk.sring->rsp_prod), i;

		if (blk.req_prod_pvt - rsp < RING_SIZE(&blk)) {
			blk_garbage(RING_GET_REQUEST(&blk, blk.req_prod_pvt));
			blk.req_prod_pvt++;
			sent++;
			ring_publish(&blk.sring->req_prod, blk.req_prod_pvt,
				     vbd.port);
		}
		for (i = rsp; i != blk.req_prod_pvt; i++, rewrites++) {
			blk_garbage(RING_GET_REQUEST(&blk, i));
		}
	}
	if (!ring_wait(&blk.sring->rsp_prod, blk.req_prod_pvt, ANSWER_US)) {
		printf("hostile: vbd: race: %lu requests, %lu rewrites, not "
		       "all answered: UNEXPECTED\n",
		       sent, rewrites);
		return false;
	}
	blk.rsp_cons = blk.req_prod_pvt;
	printf("hostile: vbd: race: %lu requests, %lu rewrites while read, "
	       "all answered\n",
	       sent, rewrites);
	return true;
}

/*
 * req_prod far ahead of the responses; then a valid read, which a back
 * end still serving the ring would answer at once.
 */
static bool blk_bogus(void)
{
	RING_IDX answered = READ_ONCE(blk.sring->rsp_prod);
	blkif_request_t *req;

	printf("hostile: vbd: req_prod %#x ahead of rsp_prod, for %lu s\n",
	       BOGUS_AHEAD, HOLD_US / SECOND_US);
	ring_publish(&blk.sring->req_prod, blk.req_prod_pvt + BOGUS_AHEAD,
		     vbd.port);
	timer_sleep_us(HOLD_US);
	req = RING_GET_REQUEST(&blk, blk.req_prod_pvt);
	memset(req, 0, sizeof(*req));
	blk_valid(req);
	req->id = BLK_ID(0xfff);
	blk.req_prod_pvt++;
	ring_publish(&blk.sring->req_prod, blk.req_prod_pvt, vbd.port);
	if (ring_wait(&blk.sring->rsp_prod, blk.req_prod_pvt, SILENT_US) ||
	    READ_ONCE(blk.sring->rsp_prod) != answered) {
		printf("hostile: vbd: a valid read after that was answered: "
		       "UNEXPECTED\n");
		return false;
	}
	printf("hostile: vbd: a valid read after that: no answer in %lu s "
	       "(ring halted)\n",
	       SILENT_US / SECOND_US);
	return true;
}

/* The pages the requests name, granted to the back end's domain. */
static void blk_grant_pages(domid_t be)
{
	struct blkif_request_segment *segs =
		(struct blkif_request_segment *)blk_indirect_page;
	size_t i;

	for (i = 0; i < PAGE_SIZE / sizeof(*segs); i++) {
		segs[i].gref = REF_RANDOM_BASE + (grant_ref_t)i;
		segs[i].first_sect = 7;
		segs[i].last_sect = (uint8_t)(i & 1 ? 2 : 200);
	}
	grant_access(REF_BLK_DATA, be, gfn_of(blk_data_page), false);
	grant_access(REF_BLK_INDIRECT, be, gfn_of(blk_indirect_page), true);
	grant_access(REF_READONLY, be, gfn_of(readonly_page), true);
	grant_access(REF_OTHER_DOMAIN, OTHER_DOMAIN, gfn_of(other_page), false);
}

static void blk_attack(struct tally *t)
{
	size_t i;

	t->connected = fe_connect(&vbd, blk_publish, XenbusStateInitialised);
	if (!t->connected) {
		return;
	}
	blk_grant_pages((domid_t)vbd.backend_id);
	for (i = 0; i < ARRAY_SIZE(blk_cases); i++) {
		t->cases++;
		t->expected += blk_one(&blk_cases[i]);
	}
	t->batch = blk_batch();
	t->race = blk_race();
	t->halted = blk_bogus();
}

/* The network device: transmit requests to netback. */

#define ETH_HLEN 14
#define FRAME_LEN 60
#define ETHERTYPE_EXPERIMENTAL 0x88b5 /* IEEE 802 local experimental */
#define RX_POSTED 64U

static long net_publish(const struct frontend *fe)
{
	netif_tx_sring_t *txs = (netif_tx_sring_t *)net_tx_page;
	netif_rx_sring_t *rxs = (netif_rx_sring_t *)net_rx_page;
	domid_t be = (domid_t)fe->backend_id;

	SHARED_RING_INIT(txs);
	FRONT_RING_INIT(&tx, txs, PAGE_SIZE);
	SHARED_RING_INIT(rxs);
	FRONT_RING_INIT(&rx, rxs, PAGE_SIZE);
	grant_access(REF_NET_TX, be, gfn_of(net_tx_page), false);
	grant_access(REF_NET_RX, be, gfn_of(net_rx_page), false);
	if (fe_write(fe, "tx-ring-ref", REF_NET_TX) ||
	    fe_write(fe, "rx-ring-ref", REF_NET_RX) ||
	    fe_write(fe, "event-channel", fe->port) ||
	    fe_write(fe, "request-rx-copy", 1) ||
	    fe_write(fe, "feature-rx-notify", 1) ||
	    fe_write(fe, "feature-sg", 0) ||
	    fe_write(fe, "feature-gso-tcpv4", 0)) {
		return -1;
	}
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

/* "xx:xx:xx:xx:xx:xx" into mac; false if it is not one. */
static bool parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int i;

	for (i = 0; i < 6; i++, s += 3) {
		int hi = hex_digit(s[0]), lo = hex_digit(s[1]);

		if (hi < 0 || lo < 0 || s[2] != (i == 5 ? '\0' : ':')) {
			return false;
		}
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* A broadcast frame from our MAC, of a local experimental type. */
static void net_build_frame(void)
{
	static const char text[] = "xenon pv-hostile-frontend";
	uint8_t *f = net_data_page;
	char path[64], mac[24];
	uint8_t src[6] = {0x00, 0x16, 0x3e, 0x00, 0x00, 0x01};

	snprintf(path, sizeof(path), "%s/mac", vif.path);
	if (xenstore_read(path, mac, sizeof(mac)) > 0 && !parse_mac(mac, src)) {
		printf("hostile: vif: mac '%s' unreadable\n", mac);
	}
	memset(f, 0, FRAME_LEN);
	memset(f, 0xff, 6);
	memcpy(f + 6, src, 6);
	f[12] = ETHERTYPE_EXPERIMENTAL >> 8;
	f[13] = ETHERTYPE_EXPERIMENTAL & 0xff;
	memcpy(f + ETH_HLEN, text, sizeof(text));
}

struct net_case {
	const char *what;
	grant_ref_t gref;
	uint16_t offset, size, id;
	int16_t want;
};

static const struct net_case net_cases[] = {
	{"valid 60-byte frame", REF_NET_DATA, 0, FRAME_LEN, 1, NETIF_RSP_OKAY},
	{"grant ref never granted", REF_NEVER, 0, FRAME_LEN, 2,
	 NETIF_RSP_ERROR},
	{"grant ref past the table", REF_PAST_TABLE, 0, FRAME_LEN, 3,
	 NETIF_RSP_ERROR},
	{"grant for another domain", REF_OTHER_DOMAIN, 0, FRAME_LEN, 4,
	 NETIF_RSP_ERROR},
	{"size 6, under a header", REF_NET_DATA, 0, 6, 5, NETIF_RSP_ERROR},
	{"size 0", REF_NET_DATA, 0, 0, 6, NETIF_RSP_ERROR},
	{"id 0xffff (ring of 256)", REF_NEVER, 0, FRAME_LEN, 0xffff,
	 NETIF_RSP_ERROR},
	{"id 4096, offset 4000", REF_NEVER, 4000, FRAME_LEN, 4096,
	 NETIF_RSP_ERROR},
};

static void net_fill(netif_tx_request_t *req, grant_ref_t gref, uint16_t offset,
		     uint16_t size, uint16_t id)
{
	req->gref = gref;
	req->offset = offset;
	req->flags = 0;
	req->id = id;
	req->size = size;
}

static bool net_one(const struct net_case *c)
{
	netif_tx_response_t *rsp;

	net_fill(RING_GET_REQUEST(&tx, tx.req_prod_pvt), c->gref, c->offset,
		 c->size, c->id);
	tx.req_prod_pvt++;
	ring_publish(&tx.sring->req_prod, tx.req_prod_pvt, vif.port);
	if (!ring_wait(&tx.sring->rsp_prod, tx.req_prod_pvt, ANSWER_US)) {
		printf("hostile: vif: %-32s no answer: UNEXPECTED\n", c->what);
		return false;
	}
	rsp = RING_GET_RESPONSE(&tx, tx.req_prod_pvt - 1);
	tx.rsp_cons = tx.req_prod_pvt;
	printf("hostile: vif: %-32s status %d%s%s\n", c->what, rsp->status,
	       rsp->id == c->id ? "" : " (id changed)",
	       rsp->status == c->want && rsp->id == c->id ? ""
							  : ": UNEXPECTED");
	return rsp->status == c->want && rsp->id == c->id;
}

/*
 * A two-slot packet (more_data) whose slots are never granted: each slot
 * is answered with an error. The second slot is smaller than the first
 * and both stay in their page, so netback has no reason to disable the
 * interface.
 */
static bool net_chain(void)
{
	netif_tx_request_t *req = RING_GET_REQUEST(&tx, tx.req_prod_pvt);
	RING_IDX i;
	bool ok = true;

	net_fill(req, REF_NEVER, 0, 200, 0x100);
	req->flags = NETTXF_more_data;
	net_fill(RING_GET_REQUEST(&tx, tx.req_prod_pvt + 1), REF_NEVER + 1, 0,
		 100, 0x101);
	tx.req_prod_pvt += 2;
	ring_publish(&tx.sring->req_prod, tx.req_prod_pvt, vif.port);
	if (!ring_wait(&tx.sring->rsp_prod, tx.req_prod_pvt, ANSWER_US)) {
		printf("hostile: vif: %-32s no answer: UNEXPECTED\n",
		       "two slots never granted");
		return false;
	}
	for (i = tx.req_prod_pvt - 2; i != tx.req_prod_pvt; i++) {
		ok &= RING_GET_RESPONSE(&tx, i)->status == NETIF_RSP_ERROR;
	}
	tx.rsp_cons = tx.req_prod_pvt;
	printf("hostile: vif: %-32s statuses %d %d%s\n",
	       "two slots never granted",
	       RING_GET_RESPONSE(&tx, tx.req_prod_pvt - 2)->status,
	       RING_GET_RESPONSE(&tx, tx.req_prod_pvt - 1)->status,
	       ok ? "" : ": UNEXPECTED");
	return ok;
}

/*
 * Garbage netback answers with an error without disabling the interface:
 * unknown grant refs, no flags, offset + size within the page whatever
 * mix of two such requests it reads.
 */
static void net_garbage(netif_tx_request_t *req)
{
	uint64_t r = prng();

	net_fill(req, REF_RANDOM_BASE | (grant_ref_t)r,
		 (uint16_t)((r >> 32) & 2047), (uint16_t)((r >> 43) & 2047),
		 (uint16_t)(r >> 54));
}

static bool net_batch(void)
{
	RING_IDX n = RING_SIZE(&tx), i;

	for (i = 0; i < n; i++) {
		net_garbage(RING_GET_REQUEST(&tx, tx.req_prod_pvt + i));
	}
	tx.req_prod_pvt += n;
	ring_publish(&tx.sring->req_prod, tx.req_prod_pvt, vif.port);
	if (!ring_wait(&tx.sring->rsp_prod, tx.req_prod_pvt, ANSWER_US)) {
		printf("hostile: vif: a ring of %u garbage requests: %u "
		       "answered: UNEXPECTED\n",
		       n, n - (tx.req_prod_pvt - tx.sring->rsp_prod));
		return false;
	}
	tx.rsp_cons = tx.req_prod_pvt;
	printf("hostile: vif: a ring of %u garbage requests: all answered\n",
	       n);
	return true;
}

static bool net_race(void)
{
	uint64_t end = timer_now() + timer_us_to_ticks(RACE_US);
	unsigned long sent = 0, rewrites = 0, round;

	for (round = 0; round < RACE_ROUNDS && !timer_expired(end); round++) {
		RING_IDX rsp = READ_ONCE(tx.sring->rsp_prod), i;

		if (tx.req_prod_pvt - rsp < RING_SIZE(&tx)) {
			net_garbage(RING_GET_REQUEST(&tx, tx.req_prod_pvt));
			tx.req_prod_pvt++;
			sent++;
			ring_publish(&tx.sring->req_prod, tx.req_prod_pvt,
				     vif.port);
		}
		for (i = rsp; i != tx.req_prod_pvt; i++, rewrites++) {
			net_garbage(RING_GET_REQUEST(&tx, i));
		}
	}
	if (!ring_wait(&tx.sring->rsp_prod, tx.req_prod_pvt, ANSWER_US)) {
		printf("hostile: vif: race: %lu requests, %lu rewrites, not "
		       "all answered: UNEXPECTED\n",
		       sent, rewrites);
		return false;
	}
	tx.rsp_cons = tx.req_prod_pvt;
	printf("hostile: vif: race: %lu requests, %lu rewrites while read, "
	       "all answered\n",
	       sent, rewrites);
	return true;
}

static bool net_bogus(void)
{
	RING_IDX answered = READ_ONCE(tx.sring->rsp_prod);

	printf("hostile: vif: tx req_prod %#x ahead of rsp_prod, for %lu s\n",
	       BOGUS_AHEAD, HOLD_US / SECOND_US);
	ring_publish(&tx.sring->req_prod, tx.req_prod_pvt + BOGUS_AHEAD,
		     vif.port);
	timer_sleep_us(HOLD_US);
	net_fill(RING_GET_REQUEST(&tx, tx.req_prod_pvt), REF_NET_DATA, 0,
		 FRAME_LEN, 0xfff);
	tx.req_prod_pvt++;
	ring_publish(&tx.sring->req_prod, tx.req_prod_pvt, vif.port);
	if (ring_wait(&tx.sring->rsp_prod, tx.req_prod_pvt, SILENT_US) ||
	    READ_ONCE(tx.sring->rsp_prod) != answered) {
		printf("hostile: vif: a valid frame after that was answered: "
		       "UNEXPECTED\n");
		return false;
	}
	printf("hostile: vif: a valid frame after that: no answer in %lu s "
	       "(interface disabled)\n",
	       SILENT_US / SECOND_US);
	return true;
}

/* Receive slots whose grant refs were never granted, ids past the ring. */
static void net_post_rx(void)
{
	RING_IDX i;

	for (i = 0; i < RX_POSTED; i++) {
		netif_rx_request_t *req =
			RING_GET_REQUEST(&rx, rx.req_prod_pvt + i);

		req->id = (uint16_t)(0xff00 + i);
		req->gref = REF_NEVER + 2 + i;
	}
	rx.req_prod_pvt += RX_POSTED;
	ring_publish(&rx.sring->req_prod, rx.req_prod_pvt, vif.port);
	printf("hostile: vif: %u receive slots posted, none granted\n",
	       RX_POSTED);
}

static void net_attack(struct tally *t)
{
	size_t i;

	t->connected = fe_connect(&vif, net_publish, XenbusStateConnected);
	if (!t->connected) {
		return;
	}
	grant_access(REF_NET_DATA, (domid_t)vif.backend_id,
		     gfn_of(net_data_page), true);
	net_build_frame();
	net_post_rx();
	for (i = 0; i < ARRAY_SIZE(net_cases); i++) {
		t->cases++;
		t->expected += net_one(&net_cases[i]);
	}
	t->cases++;
	t->expected += net_chain();
	t->batch = net_batch();
	t->race = net_race();
	t->halted = net_bogus();
	printf("hostile: vif: %u receive responses seen\n",
	       READ_ONCE(rx.sring->rsp_prod));
}

static bool tally_ok(const struct tally *t)
{
	return t->connected && t->cases == t->expected && t->batch && t->race &&
	       t->halted;
}

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

static void idle(void)
{
	unsigned long s;

	printf("hostile: idle\n");
	for (s = 0; s < IDLE_S; s++) {
		timer_sleep_us(SECOND_US);
	}
	printf("hostile: idle for %lu s, powering off\n", IDLE_S);
}

void test_main(void)
{
	struct tally b = {0}, n = {0};
	long rc;

	rc = xenstore_init();
	if (!rc) {
		rc = grant_init();
	}
	if (rc) {
		printf("hostile: no xenstore ring or grant table (%ld)\n", rc);
		xtf_error("set-up failed");
		idle();
		return;
	}
	printf("hostile: xenstore and grant table ready, %u grant entries\n",
	       grant_nr_entries());
	blk_attack(&b);
	net_attack(&n);
	printf("hostile: summary: vbd connected %s, %u/%u requests answered "
	       "as expected, full ring %s, race %s, halted %s; vif connected "
	       "%s, %u/%u as expected, full ring %s, race %s, halted %s\n",
	       yes(b.connected), b.expected, b.cases, yes(b.batch), yes(b.race),
	       yes(b.halted), yes(n.connected), n.expected, n.cases,
	       yes(n.batch), yes(n.race), yes(n.halted));
	if (tally_ok(&b) && tally_ok(&n)) {
		printf("hostile: every answer as expected\n");
		xtf_success();
	} else {
		printf("hostile: UNEXPECTED answers (see above)\n");
		xtf_failure("the back ends did not answer as expected");
	}
	idle();
}

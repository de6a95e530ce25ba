/* http/guard: which address is the client's. The peer's own, unless the peer is a trusted
 * proxy; then X-Forwarded-For is read from the right, past every trusted address, to the
 * first that is not one. Networks (ADDR/BITS), IPv6, and what a client may write there. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <string.h>

#include "http/guard.h"

static struct guard *g;

static void setup(void)
{
	struct http_limits l = {.trusted_proxies = "127.0.0.1, 10.8.0.0/16,fd00::/8"};
	cr_assert_eq(guard_new(&l, &g), 0);
}

static void teardown(void)
{
	guard_free(g);
}
TestSuite(http_guard, .init = setup, .fini = teardown);

/* The client of a request from peer (IPv4 or IPv6 text) carrying xff. */
static const char *client_of(const char *peer, const char *xff)
{
	static char out[GUARD_ADDR_LEN];
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, peer, &v4->sin_addr) == 1)
		v4->sin_family = AF_INET;
	else {
		cr_assert_eq(inet_pton(AF_INET6, peer, &v6->sin6_addr), 1);
		v6->sin6_family = AF_INET6;
	}
	struct guard_conn *c = guard_opened(g, (struct sockaddr *)&ss, -1);
	cr_assert_not_null(c);
	guard_client(g, c, xff, out);
	guard_closed(g, c);
	return out;
}

Test(http_guard, a_peer_that_is_not_a_trusted_proxy_is_the_client_whatever_it_says)
{
	cr_expect_str_eq(client_of("192.0.2.7", "10.1.1.1"), "192.0.2.7");
	cr_expect_str_eq(client_of("192.0.2.7", NULL), "192.0.2.7");
	cr_expect_str_eq(client_of("::ffff:192.0.2.9", "10.1.1.1"), "192.0.2.9");
}

Test(http_guard, through_trusted_proxies_the_right_most_other_address_is_the_client)
{
	cr_expect_str_eq(client_of("127.0.0.1", "198.51.100.4"), "198.51.100.4");
	/* what the client wrote itself stays left of what the proxy saw, and is not believed */
	cr_expect_str_eq(client_of("127.0.0.1", "6.6.6.6, 198.51.100.4"), "198.51.100.4");
	/* a chain of trusted proxies (a network, IPv6) is walked through */
	cr_expect_str_eq(client_of("127.0.0.1", "198.51.100.4,10.8.3.2"), "198.51.100.4");
	cr_expect_str_eq(client_of("fd00::1", "2001:db8::7 , 10.8.200.1"), "2001:db8::7");
	cr_expect_str_eq(client_of("10.8.0.9", " 2001:DB8:0:0::7"), "2001:db8::7");
	/* 10.9.x is outside 10.8.0.0/16 */
	cr_expect_str_eq(client_of("127.0.0.1", "198.51.100.4, 10.9.0.1"), "10.9.0.1");
	/* no header: the proxy itself; every address trusted: the left-most */
	cr_expect_str_eq(client_of("127.0.0.1", NULL), "127.0.0.1");
	cr_expect_str_eq(client_of("127.0.0.1", "10.8.0.5, 127.0.0.1"), "10.8.0.5");
}

Test(http_guard, what_is_not_an_address_ends_the_walk_at_the_last_trusted_hop)
{
	cr_expect_str_eq(client_of("127.0.0.1", "unknown"), "127.0.0.1");
	cr_expect_str_eq(client_of("127.0.0.1", "198.51.100.4, garbage, 10.8.0.2"), "10.8.0.2");
	cr_expect_str_eq(client_of("127.0.0.1", "198.51.100.4,,"), "127.0.0.1");
	cr_expect_str_eq(client_of("127.0.0.1", "198.51.100.4:443"), "127.0.0.1");
}

Test(http_guard, proxy_lists_are_checked)
{
	cr_expect(guard_list_valid("127.0.0.1"));
	cr_expect(guard_list_valid("127.0.0.1,::1, 10.0.0.0/8 ,fd00::/8"));
	cr_expect(!guard_list_valid(""));
	cr_expect(!guard_list_valid("localhost"));
	cr_expect(!guard_list_valid("10.0.0.0/33"));
	cr_expect(!guard_list_valid("10.0.0.0/"));
	cr_expect(!guard_list_valid("127.0.0.1,,"));
	struct http_limits bad = {.trusted_proxies = "10.0.0.0/x"};
	struct guard *b = NULL;
	cr_expect_eq(guard_new(&bad, &b), NRM_EINVAL);
}

/* mail/mail: the message composed for a notice, and what it refuses. The refusals are what
 * the fuzz harness fuzz/mail.c found missing (fuzz/corpus/mail/crash-control-character-in-address). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "mail/mail.h"

static int compose(const char *to, char **out)
{
	*out = NULL;
	return mail_compose("noreply@nrm.gov.al", to, "Njoftim", "Keni një njoftim në nrm.", NULL, out);
}

Test(mail, a_message_has_one_recipient_header_with_the_address)
{
	char *m;
	cr_assert_eq(compose("arta@example.al", &m), 0);
	cr_expect_not_null(strstr(m, "\r\nTo: <arta@example.al>\r\n"));
	cr_expect_null(strstr(strstr(m, "\r\nTo: ") + 2, "\r\nTo: "), "one To header");
	free(m);
}

Test(mail, an_address_with_a_control_character_is_refused)
{
	char *m;
	/* A vertical tab, an escape, a DEL: not line breaks, yet no header may carry them. */
	cr_expect_eq(compose("arta@exa\x16mple.al", &m), NRM_EINVAL);
	cr_expect_null(m, "nothing written on a refusal");
	cr_expect_eq(compose("arta@example.al\x0b", &m), NRM_EINVAL);
	cr_expect_eq(compose("\x1b[31marta@example.al", &m), NRM_EINVAL);
	cr_expect_eq(compose("arta@example.al\x7f", &m), NRM_EINVAL);
	cr_expect_eq(compose("arta@example.al\r\nBcc: all@example.al", &m), NRM_EINVAL);
	cr_expect_eq(compose("a@b>, <c@d", &m), NRM_EINVAL);
	cr_expect_eq(compose("", &m), NRM_EINVAL);
}

Test(mail, an_address_longer_than_smtp_allows_is_refused)
{
	char addr[300], *m;
	memset(addr, 'a', sizeof addr);
	memcpy(addr + 250, "@x.al", 6);
	cr_expect_eq(compose(addr, &m), NRM_EINVAL, "255 octets");
	memcpy(addr + 244, "@x.al", 6);
	cr_expect_eq(compose(addr, &m), 0, "249 octets");
	free(m);
}

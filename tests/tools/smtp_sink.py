#!/usr/bin/python3
"""A local SMTP sink for the tests: python3 tests/tools/smtp_sink.py DIR

Listens on 127.0.0.1 on a free port (written to DIR/port once it listens) with Debian's
python3-aiosmtpd, and writes every message it receives as DIR/N.eml (the raw bytes) and
DIR/N.json — the envelope and the message as Python's own e-mail parser reads it:
{"mail_from", "rcpt_tos", "from", "to", "subject", "text", "attachments": [{"filename",
"content_type", "content"}]}. Runs until killed.
"""
import asyncio
import email
import email.policy
import json
import os
import sys

if not os.path.exists("/usr/lib/python3/dist-packages/aiosmtpd") and sys.executable != "/usr/bin/python3":
    os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
try:
    from aiosmtpd.smtp import SMTP
except ImportError:
    if sys.executable != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("smtp_sink: python3-aiosmtpd is missing (deps/debian.txt)")

out = sys.argv[1]
count = 0


class Sink:
    async def handle_DATA(self, server, session, envelope):
        global count
        count += 1
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        text, attachments = None, []
        for part in msg.walk():
            if part.is_multipart():
                continue
            if part.get_filename():
                attachments.append({"filename": part.get_filename(), "content_type": part.get_content_type(),
                                    "content": part.get_content() if part.get_content_maintype() == "text"
                                    else None})
            elif part.get_content_type() == "text/plain" and text is None:
                text = part.get_content()
        doc = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "from": str(msg["From"]),
               "to": str(msg["To"]), "subject": str(msg["Subject"]), "text": text, "attachments": attachments}
        with open(os.path.join(out, "%d.eml" % count), "wb") as f:
            f.write(raw)
        tmp = os.path.join(out, "%d.json.tmp" % count)
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
        os.rename(tmp, os.path.join(out, "%d.json" % count))
        return "250 OK"


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
server = loop.run_until_complete(loop.create_server(lambda: SMTP(Sink()), "127.0.0.1", 0))
port = server.sockets[0].getsockname()[1]
with open(os.path.join(out, "port.tmp"), "w") as f:
    f.write(str(port))
os.rename(os.path.join(out, "port.tmp"), os.path.join(out, "port"))
loop.run_forever()

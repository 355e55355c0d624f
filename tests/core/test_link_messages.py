"""The buttons that hand a new link's message to the counselor's own e-mail or messages app:
addressed to that partner only, the message whole, nothing injectable through the address."""

from datetime import datetime
from urllib.parse import parse_qs, unquote, urlsplit

from core.links import Issued, mail_url, text_url

BODY = "Hello Zoë,\n\nHere is your private link:\nhttps://t.example/Questionnaire?t=abc&x=1\n"


def issued(**contact) -> Issued:
    return Issued(7, "abc", datetime(2026, 12, 6), "Zoë", "Couples Satisfaction Index", **contact)


def test_the_mail_is_addressed_to_the_partner_with_subject_and_whole_message():
    url = mail_url(issued(email="zoe.k+tandem@example.org"), BODY)
    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    assert unquote(parts.path) == "zoe.k+tandem@example.org"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Your private link: Couples Satisfaction Index"]
    assert query["body"] == [BODY]  # line breaks, the ampersand of the link and Zoë intact
    assert "+" not in parts.query  # spaces as %20: mail apps read '+' as a plus sign


def test_without_an_address_the_counselor_fills_it_in():
    assert mail_url(issued(), BODY).startswith("mailto:?subject=")


def test_an_address_cannot_add_recipients_or_headers():
    url = mail_url(issued(email="zoe@example.org?bcc=someone@else.example&x=\n"), BODY)
    parts = urlsplit(url)
    assert set(parse_qs(parts.query)) == {"subject", "body"}
    assert "bcc" not in parse_qs(parts.query)
    assert "?" not in parts.path and "\n" not in url


def test_a_text_goes_to_the_partners_number_only_when_there_is_one():
    url = text_url(issued(phone="+49 (0)30 1234-567"), BODY)
    parts = urlsplit(url)
    assert (parts.scheme, parts.path) == ("sms", "+490301234567")
    assert parse_qs(parts.query)["body"] == [BODY]
    for none in (None, "", "n/a", "+1"):
        assert text_url(issued(phone=none), BODY) is None

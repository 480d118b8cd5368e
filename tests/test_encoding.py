from generator.content.encoding import guess_legacy_encoding

# Byte strings as legacy office files store them; the TCVN3 and VNI ones are the familiar garbles
# ("ng­êi", "c¸c", "cña"; "ngöôøi", "cuûa", "vaø") that Vietnamese users recognise on sight.
TCVN3 = b"Ng\xad\xeai t\xe8t vi\xd6c t\xe8t c\xf1a th\xabn, c\xb8c gia \xae\xd7nh \xae\xb7 \xae\xad\xeec khen"
VNI = b"Ngu\xf6\xf4\xf8i to\xe1t vie\xe4c to\xe1t cu\xfba tho\xe2n, ca\xf9c gia \xf1\xecnh \xf1a\xf5 \xf1u\xf6\xf4\xefc khen"


def cp1258(text: str) -> bytes:
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out += base.encode("cp1258") + "".join(c for c in parts if c in tones).encode("cp1258")
    return bytes(out)


def test_tcvn3_is_recognised():
    assert guess_legacy_encoding(TCVN3) == "tcvn3"


def test_vni_is_recognised():
    assert guess_legacy_encoding(VNI) == "vni"


def test_windows_1258_is_recognised():
    assert guess_legacy_encoding(cp1258("Người tốt việc tốt của thôn, các gia đình đã được khen")) == "cp1258"


def test_text_that_is_not_vietnamese_is_not_given_a_name():
    assert guess_legacy_encoding("Grüße aus Köln, schöne Straße".encode("latin-1")) is None

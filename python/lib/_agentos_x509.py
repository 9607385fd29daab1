"""An X.509 certificate (DER) as CPython's `SSLSocket.getpeercert()` gives it: `subject` and
`issuer` as tuples of relative distinguished names of (OpenSSL's long name, value) pairs,
`version`, `serialNumber` (hex), `notBefore`/`notAfter` (OpenSSL's `Jan  2 03:04:05 2026 GMT`),
`subjectAltName`, `OCSP`, `caIssuers` and `crlDistributionPoints` when present. Ours because
this build has no `_ssl` (OpenSSL decodes it in CPython); only what that dict holds is read.
"""

# OpenSSL's long names of the attribute types CPython prints; others print as dotted OIDs.
_NAMES = {
    "2.5.4.3": "commonName",
    "2.5.4.4": "surname",
    "2.5.4.5": "serialNumber",
    "2.5.4.6": "countryName",
    "2.5.4.7": "localityName",
    "2.5.4.8": "stateOrProvinceName",
    "2.5.4.9": "streetAddress",
    "2.5.4.10": "organizationName",
    "2.5.4.11": "organizationalUnitName",
    "2.5.4.12": "title",
    "2.5.4.15": "businessCategory",
    "2.5.4.17": "postalCode",
    "2.5.4.42": "givenName",
    "2.5.4.43": "initials",
    "2.5.4.46": "dnQualifier",
    "2.5.4.65": "pseudonym",
    "0.9.2342.19200300.100.1.1": "userId",
    "0.9.2342.19200300.100.1.25": "domainComponent",
    "1.2.840.113549.1.9.1": "emailAddress",
    "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionCountryName",
}
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_SAN = "2.5.29.17"
_AIA = "1.3.6.1.5.5.7.1.1"
_CRL_DP = "2.5.29.31"
_OCSP = "1.3.6.1.5.5.7.48.1"
_CA_ISSUERS = "1.3.6.1.5.5.7.48.2"


def _tlv(data, at):
    """(tag, value start, value end) of the element at `at`."""
    tag, length = data[at], data[at + 1]
    at += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[at : at + count], "big")
        at += count
    if at + length > len(data):
        raise ValueError("truncated DER")
    return tag, at, at + length


def _children(data, start, end):
    """The (tag, start, end) of each element between `start` and `end`."""
    out = []
    while start < end:
        tag, vstart, vend = _tlv(data, start)
        out.append((tag, vstart, vend))
        start = vend
    return out


def _oid(raw):
    first = raw[0]
    parts = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    value = 0
    for byte in raw[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    return ".".join(map(str, parts))


def _text(tag, raw):
    if tag == 0x1E:  # BMPString
        return raw.decode("utf-16-be", "replace")
    if tag == 0x1C:  # UniversalString
        return raw.decode("utf-32-be", "replace")
    return raw.decode("utf-8", "replace")


def _name(data, start, end):
    rdns = []
    for _, sstart, send in _children(data, start, end):
        pairs = []
        for _, astart, aend in _children(data, sstart, send):
            (_, ostart, oend), (vtag, vstart, vend) = _children(data, astart, aend)[:2]
            oid = _oid(data[ostart:oend])
            pairs.append((_NAMES.get(oid, oid), _text(vtag, data[vstart:vend])))
        rdns.append(tuple(pairs))
    return tuple(rdns)


def _time(tag, raw):
    text = raw.decode("ascii")
    if tag == 0x17:  # UTCTime: YYMMDDHHMMSSZ
        year = int(text[:2])
        text = ("19" if year >= 50 else "20") + text
    year, month, day = text[:4], int(text[4:6]), int(text[6:8])
    clock = f"{text[8:10]}:{text[10:12]}:{text[12:14]}"
    return f"{_MONTHS[month - 1]} {day:2d} {clock} {year} GMT"


def _address(raw):
    if len(raw) == 4:
        return ".".join(str(b) for b in raw)
    groups = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
    return ":".join(f"{g:X}" for g in groups)


def _general_names(data, start, end):
    names = []
    for tag, vstart, vend in _children(data, start, end):
        raw = data[vstart:vend]
        kind = tag & 0x1F
        if kind == 2:
            names.append(("DNS", raw.decode("ascii", "replace")))
        elif kind == 7:
            names.append(("IP Address", _address(raw)))
        elif kind == 1:
            names.append(("email", raw.decode("ascii", "replace")))
        elif kind == 6:
            names.append(("URI", raw.decode("ascii", "replace")))
        elif kind == 4:
            names.append(("DirName", _name(data, *_tlv(data, vstart)[1:])))
        elif kind == 8:
            names.append(("Registered ID", _oid(raw)))
        else:
            names.append(("othername", "<unsupported>"))
    return tuple(names)


def _access(data, start, end):
    """(OCSP URIs, CA issuer URIs) of an Authority Information Access extension."""
    ocsp, issuers = [], []
    for _, astart, aend in _children(data, *_tlv(data, start)[1:]):
        (_, ostart, oend), (tag, vstart, vend) = _children(data, astart, aend)[:2]
        if tag & 0x1F != 6:
            continue
        uri = data[vstart:vend].decode("ascii", "replace")
        method = _oid(data[ostart:oend])
        if method == _OCSP:
            ocsp.append(uri)
        elif method == _CA_ISSUERS:
            issuers.append(uri)
    return tuple(ocsp), tuple(issuers)


def _crl_points(data, start, end):
    uris = []
    for _, pstart, pend in _children(data, *_tlv(data, start)[1:]):
        for tag, fstart, fend in _children(data, pstart, pend):
            if tag != 0xA0:  # distributionPoint [0]
                continue
            for ntag, nstart, nend in _children(data, fstart, fend):
                if ntag == 0xA0:  # fullName [0]: GeneralNames
                    uris += [v for k, v in _general_names(data, nstart, nend) if k == "URI"]
    return tuple(uris)


def decode(der):
    """CPython's dict of certificate `der`."""
    data = bytes(der)
    _, cstart, cend = _tlv(data, 0)
    _, tstart, tend = _children(data, cstart, cend)[0]
    fields = _children(data, tstart, tend)
    version = 1
    if fields[0][0] == 0xA0:
        _, vstart, vend = _tlv(data, fields[0][1])
        version = int.from_bytes(data[vstart:vend], "big") + 1
        fields = fields[1:]
    serial, _, issuer, validity, subject = fields[:5]
    raw_serial = data[serial[1] : serial[2]].lstrip(b"\0") or b"\0"
    (btag, bstart, bend), (atag, astart, aend) = _children(data, validity[1], validity[2])[:2]
    cert = {
        "subject": _name(data, subject[1], subject[2]),
        "issuer": _name(data, issuer[1], issuer[2]),
        "version": version,
        "serialNumber": raw_serial.hex().upper(),
        "notBefore": _time(btag, data[bstart:bend]),
        "notAfter": _time(atag, data[astart:aend]),
    }
    for tag, start, end in fields[5:]:
        if tag == 0xA3:  # extensions [3]
            _extensions(data, *_tlv(data, start)[1:], cert)
    return cert


def _extensions(data, start, end, cert):
    for _, estart, eend in _children(data, start, end):
        parts = _children(data, estart, eend)
        oid = _oid(data[parts[0][1] : parts[0][2]])
        _, vstart, vend = parts[-1]  # the OCTET STRING (after an optional `critical`)
        if oid == _SAN:
            cert["subjectAltName"] = _general_names(data, *_tlv(data, vstart)[1:])
        elif oid == _AIA:
            ocsp, issuers = _access(data, vstart, vend)
            if ocsp:
                cert["OCSP"] = ocsp
            if issuers:
                cert["caIssuers"] = issuers
        elif oid == _CRL_DP:
            points = _crl_points(data, vstart, vend)
            if points:
                cert["crlDistributionPoints"] = points

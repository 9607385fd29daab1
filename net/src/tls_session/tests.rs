use super::*;

struct Pki {
    ca: Vec<u8>,
    cert: Vec<u8>,
    key: Vec<u8>,
}

fn pki() -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca =
        CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("key")).expect("ca");
    let key = KeyPair::generate().expect("leaf key");
    let leaf = CertificateParams::new(vec!["localhost".to_owned()])
        .expect("leaf params")
        .signed_by(&key, &ca)
        .expect("leaf");
    Pki {
        ca: ca.pem().into_bytes(),
        cert: leaf.pem().into_bytes(),
        key: key.serialize_pem().into_bytes(),
    }
}

fn server_setup(pki: &Pki) -> ServerSetup {
    ServerSetup {
        cert: pki.cert.clone(),
        key: pki.key.clone(),
        alpn: vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        ..ServerSetup::default()
    }
}

/// Moves bytes between the two until neither has anything to send; returns the plaintext
/// each side received.
fn converse(
    client: &mut TlsSession,
    server: &mut TlsSession,
    first: Vec<u8>,
) -> (Vec<u8>, Vec<u8>) {
    let (mut to_server, mut to_client) = (first, Vec::new());
    let (mut client_got, mut server_got) = (Vec::new(), Vec::new());
    for _ in 0..20 {
        if to_server.is_empty() && to_client.is_empty() {
            break;
        }
        let p = server.feed(&std::mem::take(&mut to_server));
        assert_eq!(p.error, None);
        server_got.extend(p.plain);
        to_client.extend(p.out);
        let p = client.feed(&std::mem::take(&mut to_client));
        assert_eq!(p.error, None);
        client_got.extend(p.plain);
        to_server.extend(p.out);
    }
    (client_got, server_got)
}

fn handshake(setup: &ClientSetup, server: &ServerSetup) -> (TlsSession, TlsSession) {
    let mut client = TlsSession::client(setup).expect("client");
    let mut server =
        TlsSession::server(&ServerContext::new(server).expect("context")).expect("server");
    let hello = client.pending().out;
    converse(&mut client, &mut server, hello);
    assert!(!client.is_handshaking() && !server.is_handshaking());
    (client, server)
}

#[test]
fn a_client_and_a_server_session_exchange_data_both_ways() {
    let pki = pki();
    let setup = ClientSetup {
        server_name: "localhost".into(),
        ca: vec![pki.ca.clone()],
        ..ClientSetup::default()
    };
    let (mut client, mut server) = handshake(&setup, &server_setup(&pki));
    let out = client.write(b"ping").out;
    let (_, server_got) = converse(&mut client, &mut server, out);
    assert_eq!(server_got, b"ping");
    let reply = server.write(b"pong").out;
    let p = client.feed(&reply);
    assert_eq!(p.plain, b"pong");
    assert_eq!(server.sni(), Some("localhost"));
    assert_eq!(client.verify_failure(), None);
    assert_eq!(client.protocol(), Some("TLSv1.3"));
}

#[test]
fn a_chain_the_anchors_do_not_sign_is_recorded_and_the_handshake_goes_on() {
    let pki = pki();
    let setup = ClientSetup {
        server_name: "localhost".into(),
        ..ClientSetup::default()
    };
    let (client, _server) = handshake(&setup, &server_setup(&pki));
    let failure = client.verify_failure().expect("recorded");
    assert_eq!(
        failure.error,
        rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer)
    );
    assert_eq!(failure.chain.len(), 1);
    assert_eq!(client.peer_certificates().len(), 1);
}

#[test]
fn check_name_records_a_certificate_for_another_name() {
    let pki = pki();
    let named = |server_name: &str, check_name| ClientSetup {
        server_name: server_name.into(),
        ca: vec![pki.ca.clone()],
        check_name,
        ..ClientSetup::default()
    };
    let (client, _server) = handshake(&named("example.com", true), &server_setup(&pki));
    let failure = client.verify_failure().expect("recorded");
    assert_eq!(
        failure.openssl_code(|_| false),
        "HOSTNAME_MISMATCH",
        "{failure:?}"
    );
    let (client, _server) = handshake(&named("localhost", true), &server_setup(&pki));
    assert_eq!(client.verify_failure(), None);
    let (client, _server) = handshake(&named("example.com", false), &server_setup(&pki));
    assert_eq!(client.verify_failure(), None);
}

#[test]
fn alpn_picks_the_servers_first_choice_the_client_offers() {
    let pki = pki();
    let setup = ClientSetup {
        alpn: vec![b"http/1.1".to_vec(), b"h2".to_vec()],
        ca: vec![pki.ca.clone()],
        ..ClientSetup::default()
    };
    let (client, server) = handshake(&setup, &server_setup(&pki));
    assert_eq!(client.alpn(), Some(&b"h2"[..]));
    assert_eq!(server.alpn(), Some(&b"h2"[..]));
    assert_eq!(server.sni(), None, "no server name: no SNI");
}

#[test]
fn close_notify_reaches_the_peer_as_closed() {
    let pki = pki();
    let setup = ClientSetup::default();
    let (mut client, mut server) = handshake(&setup, &server_setup(&pki));
    let bye = client.close().out;
    assert!(server.feed(&bye).closed);
}

#[test]
fn garbage_from_the_peer_is_an_error_not_a_panic() {
    let pki = pki();
    let mut server =
        TlsSession::server(&ServerContext::new(&server_setup(&pki)).expect("context")).expect("s");
    let p = server.feed(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(p.error.is_some());
}

#[test]
fn a_key_that_does_not_match_the_certificate_is_refused() {
    let (a, b) = (pki(), pki());
    let setup = ServerSetup {
        cert: a.cert,
        key: b.key,
        ..ServerSetup::default()
    };
    assert!(matches!(
        ServerContext::new(&setup),
        Err(TlsSetupError::Refused(_))
    ));
}

#[test]
fn pem_without_a_certificate_is_refused() {
    let setup = ServerSetup {
        cert: b"nothing".to_vec(),
        key: pki().key,
        ..ServerSetup::default()
    };
    assert_eq!(
        ServerContext::new(&setup).err(),
        Some(TlsSetupError::BadCertificate("cert"))
    );
}

#[test]
fn a_requested_client_certificate_is_checked_against_the_servers_ca() {
    let pki = pki();
    let server = ServerSetup {
        request_cert: true,
        ca: vec![pki.ca.clone()],
        ..server_setup(&pki)
    };
    let setup = ClientSetup {
        identity: Some((pki.cert.clone(), pki.key.clone())),
        ca: vec![pki.ca.clone()],
        ..ClientSetup::default()
    };
    let (_client, server) = handshake(&setup, &server);
    assert_eq!(server.peer_certificates().len(), 1);
    assert_eq!(server.verify_failure(), None);
}

//! What curl sends for one URL: the method, its headers (curl's defaults, then `-H`'s), and the
//! body from `-d`/`--json`/`-F`/`-T`, as curl 7.88-8 builds them.

use base64::Engine;

use super::args::{Options, read_source};

/// What the user agent says (servers that answer `curl` in plain text look for `curl/`).
pub const USER_AGENT: &str = "curl/8.11.1";

/// One hop's request.
#[derive(Debug, Clone)]
pub struct Plan {
    pub method: String,
    pub url: url::Url,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
    /// `Authorization` from `-u` or the URL: dropped on a redirect to another host.
    pub credentials: Option<Vec<u8>>,
}

/// A URL as curl takes it: without a scheme it is `http://`. Only HTTP(S) is spoken here.
pub fn parse_url(text: &str) -> Result<url::Url, (i32, String)> {
    let with_scheme = if text.contains("://") {
        text.to_string()
    } else {
        format!("http://{text}")
    };
    let url = url::Url::parse(&with_scheme)
        .map_err(|_| (3, "URL using bad/illegal format or missing URL".to_string()))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err((
            1,
            format!("Protocol \"{other}\" not supported or disabled in libcurl"),
        )),
    }
}

/// The first hop's request for `url`.
pub fn plan(o: &Options, url: &str) -> Result<Plan, (i32, String)> {
    let mut url = parse_url(url)?;
    let mut credentials = o.user.as_deref().map(basic);
    if !url.username().is_empty() {
        let user = percent_decode(url.username());
        let pass = percent_decode(url.password().unwrap_or_default());
        credentials = credentials.or_else(|| Some(basic(&format!("{user}:{pass}"))));
        let _ = url.set_username("");
        let _ = url.set_password(None);
    }
    let (mut method, body, content_type) = body_of(o, &mut url)?;
    if o.head {
        method = "HEAD".into();
    }
    if let Some(m) = &o.method {
        method.clone_from(m);
    }
    let mut headers: Vec<(String, Vec<u8>)> = Vec::new();
    if let Some(c) = &credentials {
        headers.push(("Authorization".into(), c.clone()));
    }
    if let Some(token) = &o.bearer {
        headers.push((
            "Authorization".into(),
            format!("Bearer {token}").into_bytes(),
        ));
    }
    let agent = o.user_agent.as_deref().unwrap_or(USER_AGENT);
    headers.push(("User-Agent".into(), agent.as_bytes().to_vec()));
    let accept = if o.json { "application/json" } else { "*/*" };
    headers.push(("Accept".into(), accept.as_bytes().to_vec()));
    if let Some(r) = &o.referer {
        headers.push(("Referer".into(), r.as_bytes().to_vec()));
    }
    if let Some(cookie) = cookie_header(&o.cookies) {
        headers.push(("Cookie".into(), cookie.into_bytes()));
    }
    if o.compressed {
        headers.push(("Accept-Encoding".into(), b"deflate, gzip, br".to_vec()));
    }
    if let Some(t) = content_type {
        headers.push(("Content-Type".into(), t.into_bytes()));
    }
    apply_custom(&mut headers, &o.headers);
    Ok(Plan {
        method,
        url,
        headers,
        body,
        credentials,
    })
}

fn basic(user: &str) -> Vec<u8> {
    let user = if user.contains(':') {
        user.to_string()
    } else {
        format!("{user}:")
    };
    let encoded = base64::engine::general_purpose::STANDARD.encode(user);
    format!("Basic {encoded}").into_bytes()
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// A method, its body and the body's content type.
type Body = (String, Vec<u8>, Option<String>);

/// The method, body and content type the data options make (`-G` moves the data into the
/// query instead).
fn body_of(o: &Options, url: &mut url::Url) -> Result<Body, (i32, String)> {
    if let Some(path) = &o.upload {
        let body = read_source(path).map_err(|_| {
            (
                26,
                "Failed to open/read local data from file/application".to_string(),
            )
        })?;
        if url.path().ends_with('/') && path != "-" {
            let name = path.rsplit('/').next().unwrap_or(path);
            let joined = format!("{}{}", url.path(), super::args::escape(name.as_bytes()));
            url.set_path(&joined);
        }
        return Ok(("PUT".into(), body, None));
    }
    if !o.form.is_empty() {
        let (body, boundary) = super::form::multipart(&o.form)?;
        let kind = format!("multipart/form-data; boundary={boundary}");
        return Ok(("POST".into(), body, Some(kind)));
    }
    if o.data.is_empty() {
        return Ok(("GET".into(), Vec::new(), None));
    }
    let separator: &[u8] = if o.json { b"" } else { b"&" };
    let data = o.data.join(separator);
    if o.get {
        let query = String::from_utf8_lossy(&data);
        let joined = match url.query() {
            Some(q) if !q.is_empty() => format!("{q}&{query}"),
            _ => query.into_owned(),
        };
        url.set_query(Some(&joined));
        return Ok(("GET".into(), Vec::new(), None));
    }
    let kind = if o.json {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    Ok(("POST".into(), data, Some(kind.into())))
}

/// `-b`: `name=value; ...` as it is, or a cookie file (Netscape format) when it has no `=`.
fn cookie_header(cookies: &[String]) -> Option<String> {
    let mut pairs = Vec::new();
    for cookie in cookies {
        if cookie.contains('=') {
            pairs.push(cookie.clone());
            continue;
        }
        let Ok(text) = std::fs::read_to_string(cookie) else {
            continue;
        };
        for line in text.lines() {
            let line = line.strip_prefix("#HttpOnly_").unwrap_or(line);
            let fields: Vec<&str> = line.split('\t').collect();
            if line.starts_with('#') || fields.len() < 7 {
                continue;
            }
            pairs.push(format!("{}={}", fields[5], fields[6]));
        }
    }
    (!pairs.is_empty()).then(|| pairs.join("; "))
}

/// `-H`: `Name: value` replaces curl's own header of that name, `Name:` removes it, `Name;`
/// sends it empty. Custom headers follow curl's own, in their order.
fn apply_custom(headers: &mut Vec<(String, Vec<u8>)>, custom: &[String]) {
    let mut added = Vec::new();
    for line in custom {
        let (name, value) = match line.find([':', ';']) {
            Some(at) if line.as_bytes()[at] == b';' => {
                if !line[at + 1..].trim().is_empty() {
                    continue;
                }
                (line[..at].trim(), Some(""))
            }
            Some(at) => {
                let value = line[at + 1..].trim();
                (line[..at].trim(), (!value.is_empty()).then_some(value))
            }
            None => continue,
        };
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        if let Some(v) = value {
            added.push((name.to_string(), v.as_bytes().to_vec()));
        }
    }
    headers.extend(added);
}

/// The request for the hop after a redirect to `location` (`status` the redirect's).
pub fn redirected(o: &Options, prev: &Plan, status: u16, location: &str) -> Option<Plan> {
    let url = prev.url.join(location).ok()?;
    let mut next = prev.clone();
    let to_get = o.method.is_none()
        && ((matches!(status, 301..=302) && prev.method == "POST")
            || (status == 303 && prev.method != "HEAD"));
    if to_get {
        next.method = "GET".into();
        next.body.clear();
        next.headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
    }
    let same_origin = url.host_str() == prev.url.host_str()
        && url.port_or_known_default() == prev.url.port_or_known_default()
        && url.scheme() == prev.url.scheme();
    if !same_origin && !o.location_trusted {
        next.headers.retain(|(n, _)| {
            !n.eq_ignore_ascii_case("authorization") && !n.eq_ignore_ascii_case("cookie")
        });
        next.credentials = None;
    }
    next.url = url;
    Some(next)
}

use super::*;

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_pattern_compiles() {
    for p in [
        patterns::PRIVATE_KEY,
        patterns::USER_INFO,
        patterns::PROXY_USER_INFO,
        patterns::ASSIGNMENT,
        patterns::TOKEN,
        patterns::BEARER,
    ] {
        assert!(regex::Regex::new(p).is_ok(), "{p}");
    }
}

#[test]
fn credentials_in_every_form_are_masked() {
    let cases: &[(&str, &str)] = &[
        // URL user-info, with and without a scheme.
        (
            "ADD https://deploy:ghp_URLTOKEN123@example.com/a.tgz /srv",
            "ADD https://***@example.com/a.tgz /srv",
        ),
        (
            "git clone https://oauth2:pa@ss@gitlab.example/x.git",
            "git clone https://***@gitlab.example/x.git",
        ),
        (
            "https://0123456789abcdef0123456789abcdef@github.com/o/r",
            "https://***@github.com/o/r",
        ),
        ("postgres://app:s3cret@db:5432/app", "postgres://***@db:5432/app"),
        ("curl -x user:pw@proxy:3128 http://x", "curl -x ***@proxy:3128 http://x"),
        ("HTTPS_PROXY=user:pw@proxy:3128", "HTTPS_PROXY=***@proxy:3128"),
        // curl-style users.
        (
            "curl -k -u admin:Hunter2pass https://x",
            "curl -k -u admin:*** https://x",
        ),
        (
            "curl --user admin:Hunter2pass https://x",
            "curl --user admin:*** https://x",
        ),
        (
            "curl --user=admin:Hunter2pass https://x",
            "curl --user=admin:*** https://x",
        ),
        ("curl -uadmin:Hunter2pass https://x", "curl -uadmin:*** https://x"),
        (
            "curl -U proxyuser:pw -x p https://x",
            "curl -U proxyuser:*** -x p https://x",
        ),
        // Password options, with the value attached, after `=`, or in the next word.
        ("mysql --password SpacePass99 db", "mysql --password *** db"),
        ("mysql --password=SpacePass99 db", "mysql --password=*** db"),
        ("mysql -uroot -pSpacePass99 db", "mysql -uroot -p*** db"),
        ("/usr/bin/mysqldump -p'two words' db", "/usr/bin/mysqldump -p'***' db"),
        ("sh -c 'mysql -pX1 db'", "sh -c 'mysql -p*** db'"),
        ("sshpass -p pw1 ssh -p 22 host", "sshpass -p *** ssh -p *** host"),
        ("redis-cli -a redispw ping", "redis-cli -a *** ping"),
        (
            "docker login -u me -p hub-pw registry",
            "docker login -u me -p *** registry",
        ),
        ("keytool -list -storepass changeit", "keytool -list -storepass ***"),
        (
            "openssl pkcs12 -passin pass:pw -in x",
            "openssl pkcs12 -passin *** -in x",
        ),
        ("openssl rsa -passin env:X pass:pw", "openssl rsa -passin *** pass:***"),
        (
            "tool --api-key k123 --db-password \"a b\" x",
            "tool --api-key *** --db-password \"***\" x",
        ),
        // Assignments.
        (
            "|2 API_TOKEN=s3cr3t MODE=fast /bin/sh -c x",
            "|2 API_TOKEN=*** MODE=fast /bin/sh -c x",
        ),
        ("ENV DB_PASSWORD=\"a b\" X=1", "ENV DB_PASSWORD=\"***\" X=1"),
        (
            "docker run --env=DB_PASSWORD=pw img",
            "docker run --env=DB_PASSWORD=*** img",
        ),
        (
            "GET /x?user=a&access_token=abc&y=1",
            "GET /x?user=a&access_token=***&y=1",
        ),
        (
            "mount -o username=u,password=pw,vers=3 //s/x",
            "mount -o username=u,password=***,vers=3 //s/x",
        ),
        ("password: hunter2\nuser: x", "password: ***\nuser: x"),
        (
            "{\"password\": \"a\\\"b\", \"user\": \"x\"}",
            "{\"password\": \"***\", \"user\": \"x\"}",
        ),
        ("{\"client_secret\":\"abc\"}", "{\"client_secret\":\"***\"}"),
        (
            "curl -d \"{\\\"token\\\":\\\"abc\\\"}\" x",
            "curl -d \"{\\\"token\\\":\\\"***\\\"}\" x",
        ),
        ("curl -H 'PRIVATE-TOKEN: abc123' x", "curl -H 'PRIVATE-TOKEN: ***' x"),
        // Headers.
        (
            "curl -H 'Authorization: Bearer abc.def' x",
            "curl -H 'Authorization: Bearer ***' x",
        ),
        (
            "curl -H \"Authorization: Basic dXNlcjpwdw==\" x",
            "curl -H \"Authorization: Basic ***\" x",
        ),
        ("authorization:sometoken", "authorization:***"),
        (
            "wget --header='Proxy-Authorization: Digest u=1' x",
            "wget --header='Proxy-Authorization: Digest ***' x",
        ),
        ("echo bearer abcdefgh12345", "echo bearer ***"),
        // Private keys.
        (
            "x -----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY----- y",
            "x -----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY----- y",
        ),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl",
            "-----BEGIN OPENSSH PRIVATE KEY-----***",
        ),
        // Token shapes.
        ("echo ghp_0123456789abcdefghijABCDEFGHIJ012345", "echo ghp_***"),
        ("glpat-abcdefghij0123456789", "glpat-***"),
        ("key AKIAIOSFODNN7EXAMPLE here", "key AKIA*** here"),
        ("xoxb-1234567890-abc", "xoxb-***"),
        ("t=eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.sig_nature", "t=eyJ***"),
    ];
    for (input, want) in cases {
        assert_eq!(&redact(input), want, "{input}");
    }
}

#[test]
fn what_checks_need_stays() {
    let unchanged = [
        "docker run -p 8080:80 nginx",
        "dockerd -H fd:// -p /run/docker.pid --containerd=/run/containerd/containerd.sock",
        "dockerd --tlsverify --tlskey=/etc/docker/key.pem --tlscert=/etc/docker/cert.pem",
        "docker run -u 1000:1000 img",
        "docker.io/library/redis:7@sha256:0123456789abcdef",
        "/bin/sh -c apt-get update",
        "curl -k --insecure https://x/install.sh | sh",
        "ssh://git@github.com/o/r.git",
        "-w /usr/bin/dockerd -p wa -k docker",
        "seccomp=unconfined",
        "no-new-privileges:false",
        "GPG_KEY=B42F6819007F00F88E364FD4036A9C25BF357DD4",
        "POSTGRES_PASSWORD_FILE=/run/secrets/db",
        "docker login --password-stdin registry.example",
        "adduser --disabled-password appuser",
        "docker build --secret id=npmrc,src=.npmrc .",
        "tool --token-file /run/secrets/token x",
        "vault-token:1.2",
        "image: mysecret:latest",
        "/usr/sbin/sshd -D",
        "apt-get install -y --allow-unauthenticated curl",
        "DB_PASSWORD",
        "password=",
        "",
    ];
    for text in unchanged {
        assert_eq!(redact(text), text);
    }
}

#[test]
fn argument_vectors_pair_options_with_their_values() {
    assert_eq!(
        redact_args(&args(&[
            "curl",
            "-u",
            "admin:pw",
            "-H",
            "Authorization: Bearer t0ken",
            "https://x"
        ])),
        args(&[
            "curl",
            "-u",
            "admin:***",
            "-H",
            "Authorization: Bearer ***",
            "https://x"
        ])
    );
    assert_eq!(
        redact_args(&args(&["CMD-SHELL", "mysqladmin ping -h 127.0.0.1 -pRootPw"])),
        args(&["CMD-SHELL", "mysqladmin ping -h 127.0.0.1 -p***"])
    );
    assert_eq!(
        redact_args(&args(&["CMD", "/bin/app", "--password", "two words", "-p", "80"])),
        args(&["CMD", "/bin/app", "--password", "***", "-p", "80"])
    );
    let dockerd = args(&[
        "/usr/bin/dockerd",
        "-H",
        "fd://",
        "-p",
        "/run/docker.pid",
        "--icc=false",
    ]);
    assert_eq!(redact_args(&dockerd), dockerd);
}

#[test]
fn named_values_and_json_documents() {
    assert_eq!(redact_named("com.example.db-password", "x"), "***");
    assert_eq!(redact_named("com.example.db-password", ""), "");
    assert_eq!(redact_named("desc", "curl -u a:b x"), "curl -u a:*** x");
    let mut doc = serde_json::json!({
        "log-opts": {"splunk-token": "abc", "max-size": "10m"},
        "registry-mirrors": ["https://m:tok@mirror"],
        "runtimes": {"r": {"path": "/x", "runtimeArgs": ["--password", "pw"]}},
        "tlskey": "/etc/docker/key.pem",
        "debug": true,
        "nested": [{"api_key": "k"}, 3]
    });
    redact_json(&mut doc);
    assert_eq!(
        doc,
        serde_json::json!({
            "log-opts": {"splunk-token": "***", "max-size": "10m"},
            "registry-mirrors": ["https://***@mirror"],
            "runtimes": {"r": {"path": "/x", "runtimeArgs": ["--password", "***"]}},
            "tlskey": "/etc/docker/key.pem",
            "debug": true,
            "nested": [{"api_key": "***"}, 3]
        })
    );
}

#[test]
fn secret_like_names() {
    for name in [
        "DB_PASSWORD",
        "api_key",
        "GITHUB_TOKEN",
        "AWS_SECRET_ACCESS_KEY",
        "MYSQL_PWD",
        "--password",
    ] {
        assert!(secret_like(name), "{name}");
    }
    for name in [
        "PATH",
        "PWD",
        "GPG_KEY",
        "KEYCLOAK_URL",
        "MONKEY",
        "POSTGRES_PASSWORD_FILE",
        "PUBLIC_KEY",
    ] {
        assert!(!secret_like(name), "{name}");
    }
}

/// Small deterministic generator (xorshift), so the property test needs no extra crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const FRAGMENTS: &[&str] = &[
    "-u",
    "-p",
    "-pX",
    "--password",
    "--password=",
    "=",
    ":",
    ": ",
    "\"",
    "'",
    "\\\"",
    "\\",
    "@",
    "://",
    "https://",
    "a:b@",
    "mysql",
    "docker",
    "login",
    "curl",
    "sshpass",
    "redis-cli",
    "-a",
    ";",
    "|",
    "&",
    "&&",
    " ",
    "\n",
    "\t",
    "TOKEN",
    "password",
    "Authorization:",
    "Bearer ",
    "Basic",
    "-----BEGIN RSA PRIVATE KEY-----",
    "-----END",
    "ghp_",
    "0123456789abcdefghij",
    "AKIA",
    "ABCDEFGHIJKLMNOP",
    "eyJ",
    ".",
    "***",
    "x",
    "é",
    "€",
    "😀",
    "?",
    "&token=",
    ",",
    "{",
    "}",
    "sha256",
    "1000:1000",
    "-storepass",
    "pass:",
    "--user=",
    "-uA:B",
];

#[test]
fn any_input_redacts_without_panic_within_bounds_and_idempotently() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..4000 {
        let n = (rng.next() % 24) as usize;
        let text: String = (0..n).map(|_| rng.pick(FRAGMENTS)).collect();
        let once = redact(&text);
        assert!(once.len() <= 3 * text.len(), "{text:?} → {once:?}");
        assert_eq!(redact(&once), once, "not idempotent on {text:?}");
        let pieces: Vec<String> = text.split(' ').map(str::to_string).collect();
        let args_once = redact_args(&pieces);
        assert_eq!(args_once.len(), pieces.len());
        assert_eq!(redact_args(&args_once), args_once, "argv not idempotent on {pieces:?}");
    }
}

#[test]
fn large_adversarial_inputs_are_one_pass() {
    // Each would take minutes if any pass rescanned the text per match (quadratic).
    let n = 100_000;
    for unit in [
        "a",
        "a=",
        "a:",
        "-u ",
        "--password ",
        "\"",
        "https://a",
        "a:b@",
        "-----BEGIN RSA PRIVATE KEY-----",
        "Authorization: ",
        "ghp_",
        "mysql -p",
        "x@",
        "password=\"",
    ] {
        let text = unit.repeat(n / unit.len());
        let out = redact(&text);
        assert!(out.len() <= 3 * text.len());
    }
}

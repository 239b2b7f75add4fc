//! A network namespace's listening TCP sockets from the kernel's sock_diag netlink interface.
//!
//! Why not `/proc/<pid>/net/tcp`: every `read` of that file walks the kernel's connection hash
//! tables, which are shared by all namespaces and sized by the host's memory, so reading it for
//! each of hundreds of containers cost seconds. A dump of sockets in state LISTEN only walks the
//! listening sockets. A netlink socket answers for the namespace it was created in, so a
//! short-lived thread enters the container's namespace, creates the socket and ends; no other
//! thread ever changes namespace. Needs the right to enter it (root); callers fall back to the
//! `/proc` tables when this fails.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::PathBuf;

use netlink_packet_core::{NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_DUMP, NLM_F_REQUEST};
use netlink_packet_sock_diag::constants::{AF_INET, AF_INET6, IPPROTO_TCP};
use netlink_packet_sock_diag::inet::{ExtensionFlags, InetRequest, SocketId, StateFlags};
use netlink_packet_sock_diag::SockDiagMessage;
use netlink_sys::{protocols::NETLINK_SOCK_DIAG, Socket, SocketAddr};

use crate::snapshot::ListenSocket;

/// More listening sockets than any service opens; a dump past this is refused, not truncated.
const MAX_SOCKETS: usize = 65_536;

/// The listening TCP sockets (IPv4 and IPv6) of the namespace at `ns_path` (`/proc/<pid>/ns/net`).
pub fn listening_tcp(ns_path: PathBuf) -> Result<Vec<ListenSocket>, String> {
    let socket = std::thread::Builder::new()
        .name("dockaudit-netns".into())
        .spawn(move || socket_in(&ns_path))
        .map_err(|e| format!("starting a thread to enter the namespace: {e}"))?
        .join()
        .map_err(|_| "the thread entering the namespace failed".to_string())??;
    let mut out = Vec::new();
    for (family, proto) in [(AF_INET, "tcp"), (AF_INET6, "tcp6")] {
        dump(&socket, family, proto, &mut out)?;
    }
    Ok(out)
}

/// A sock_diag socket created inside the namespace; runs on its own thread, which then ends.
fn socket_in(ns_path: &std::path::Path) -> Result<Socket, String> {
    let ns = File::open(ns_path).map_err(|e| format!("{}: {e}", ns_path.display()))?;
    // SAFETY: setns takes a valid open descriptor (ours, alive for the call) and a flag; it only
    // changes this thread's network namespace, and this thread ends right after.
    if unsafe { libc::setns(ns.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
        return Err(format!(
            "entering the network namespace {}: {}",
            ns_path.display(),
            std::io::Error::last_os_error()
        ));
    }
    let mut socket = Socket::new(NETLINK_SOCK_DIAG).map_err(|e| format!("a sock_diag socket: {e}"))?;
    socket
        .bind_auto()
        .map_err(|e| format!("binding the sock_diag socket: {e}"))?;
    socket
        .connect(&SocketAddr::new(0, 0))
        .map_err(|e| format!("connecting the sock_diag socket: {e}"))?;
    Ok(socket)
}

/// Asks for one address family's listening TCP sockets and adds them to `out`.
fn dump(socket: &Socket, family: u8, proto: &str, out: &mut Vec<ListenSocket>) -> Result<(), String> {
    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST | NLM_F_DUMP;
    let socket_id = if family == AF_INET {
        SocketId::new_v4()
    } else {
        SocketId::new_v6()
    };
    let mut request = NetlinkMessage::new(
        header,
        SockDiagMessage::InetRequest(InetRequest {
            family,
            protocol: IPPROTO_TCP,
            extensions: ExtensionFlags::empty(),
            states: StateFlags::LISTEN,
            socket_id,
        })
        .into(),
    );
    request.finalize();
    let mut buf = vec![0u8; request.buffer_len()];
    request.serialize(&mut buf);
    socket.send(&buf, 0).map_err(|e| format!("sock_diag request: {e}"))?;

    let mut received = vec![0u8; 64 * 1024];
    loop {
        let size = socket
            .recv(&mut &mut received[..], 0)
            .map_err(|e| format!("sock_diag answer: {e}"))?;
        if size == 0 {
            return Err("sock_diag answer ended before its end marker".into());
        }
        let mut offset = 0;
        while offset < size {
            let message = NetlinkMessage::<SockDiagMessage>::deserialize(&received[offset..size])
                .map_err(|e| format!("sock_diag answer: {e}"))?;
            let length = message.header.length as usize;
            match message.payload {
                NetlinkPayload::InnerMessage(SockDiagMessage::InetResponse(response)) => {
                    if out.len() >= MAX_SOCKETS {
                        return Err(format!("more than {MAX_SOCKETS} listening sockets"));
                    }
                    let id = &response.header.socket_id;
                    let socket = ListenSocket {
                        proto: proto.to_string(),
                        addr: id.source_address.to_string(),
                        port: id.source_port,
                    };
                    if !out.contains(&socket) {
                        out.push(socket);
                    }
                }
                NetlinkPayload::Done(_) => return Ok(()),
                NetlinkPayload::Error(e) => return Err(format!("sock_diag refused the request: {e:?}")),
                _ => {}
            }
            if length == 0 {
                return Err("sock_diag answer with an empty message".into());
            }
            offset += length;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A socket we listen on is found in our own namespace (root only: entering a namespace,
    /// even our own, needs CAP_SYS_ADMIN).
    #[test]
    fn finds_our_own_listener() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let found = match listening_tcp(PathBuf::from("/proc/self/ns/net")) {
            Ok(found) => found,
            Err(e) if e.contains("Operation not permitted") => return,
            Err(e) => panic!("{e}"),
        };
        assert!(
            found
                .iter()
                .any(|s| s.port == port && s.addr == "127.0.0.1" && s.proto == "tcp"),
            "{found:?}"
        );
    }

    #[test]
    fn a_namespace_that_cannot_be_opened_is_an_error_naming_it() {
        let e = listening_tcp(PathBuf::from("/proc/0/ns/net")).unwrap_err();
        assert!(e.contains("/proc/0/ns/net"), "{e}");
    }
}

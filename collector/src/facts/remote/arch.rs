//! Which machine a binary is for, and which machine a remote host is: `uname -m` against the
//! ELF header's `e_machine`, so a binary is only copied to a host that can run it.

/// A CPU architecture dockaudit can tell apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arch {
    X86_64,
    Aarch64,
    /// Anything else, by the name `uname -m` or the ELF header gave.
    Other(String),
}

impl std::fmt::Display for Arch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arch::X86_64 => f.write_str("x86_64"),
            Arch::Aarch64 => f.write_str("aarch64"),
            Arch::Other(name) => f.write_str(name),
        }
    }
}

impl Arch {
    /// From `uname -m` (or Go's names, which some tools print).
    pub fn from_uname(machine: &str) -> Arch {
        match machine.trim() {
            "x86_64" | "amd64" => Arch::X86_64,
            "aarch64" | "arm64" | "aarch64_be" => Arch::Aarch64,
            other => Arch::Other(other.chars().filter(|c| c.is_ascii_graphic()).take(32).collect()),
        }
    }

    /// The architecture of an ELF executable from its first bytes; `Err` says why it is none.
    pub fn of_elf(header: &[u8]) -> Result<Arch, String> {
        if header.len() < 20 || &header[..4] != b"\x7fELF" {
            return Err("not an ELF executable".into());
        }
        let machine = match header[5] {
            1 => u16::from_le_bytes([header[18], header[19]]),
            2 => u16::from_be_bytes([header[18], header[19]]),
            _ => return Err("ELF header with an unknown byte order".into()),
        };
        Ok(match machine {
            62 => Arch::X86_64,
            183 => Arch::Aarch64,
            3 => Arch::Other("i386".into()),
            40 => Arch::Other("arm".into()),
            243 => Arch::Other("riscv64".into()),
            21 => Arch::Other("ppc64".into()),
            22 => Arch::Other("s390x".into()),
            other => Arch::Other(format!("ELF machine {other}")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elf(machine: u16, big_endian: bool) -> Vec<u8> {
        let mut h = vec![0u8; 64];
        h[..4].copy_from_slice(b"\x7fELF");
        h[4] = 2;
        h[5] = if big_endian { 2 } else { 1 };
        let m = if big_endian {
            machine.to_be_bytes()
        } else {
            machine.to_le_bytes()
        };
        h[18..20].copy_from_slice(&m);
        h
    }

    #[test]
    fn uname_names() {
        assert_eq!(Arch::from_uname("x86_64\n"), Arch::X86_64);
        assert_eq!(Arch::from_uname("arm64"), Arch::Aarch64);
        assert_eq!(Arch::from_uname("riscv64"), Arch::Other("riscv64".into()));
        // Hostile output stays one short printable word.
        assert_eq!(Arch::from_uname("\x1b[2Jx y").to_string(), "[2Jxy");
    }

    #[test]
    fn elf_machines() {
        assert_eq!(Arch::of_elf(&elf(62, false)).unwrap(), Arch::X86_64);
        assert_eq!(Arch::of_elf(&elf(183, false)).unwrap(), Arch::Aarch64);
        assert_eq!(Arch::of_elf(&elf(22, true)).unwrap(), Arch::Other("s390x".into()));
        assert!(Arch::of_elf(b"#!/bin/sh\n").is_err());
        assert!(Arch::of_elf(b"\x7fELF").is_err());
    }

    #[test]
    fn this_binary_is_for_this_machine() {
        let exe = std::env::current_exe().unwrap();
        let mut header = vec![0u8; 64];
        use std::io::Read;
        std::fs::File::open(exe).unwrap().read_exact(&mut header).unwrap();
        assert_eq!(Arch::of_elf(&header).unwrap(), Arch::from_uname(std::env::consts::ARCH));
    }
}

//! hexdump's input: the named files (or stdin) as one stream, `-s` bytes skipped (by seeking
//! in a regular file, as util-linux does) and at most `-n` read.

use std::fs::File;
use std::io::{self, Read, Write};

use super::Options;

/// The files (or stdin) as one stream, `-s` bytes skipped and at most `-n` read.
pub struct Input {
    name: String,
    /// No file was named: stdin is the input.
    stdin: bool,
    /// Files named, and how many of them could not be opened.
    pub named: usize,
    pub unopened: usize,
    files: std::vec::IntoIter<String>,
    current: Option<Box<dyn Read>>,
    to_skip: u64,
    /// Bytes `-s` skipped so far (fewer than asked when the input is shorter).
    pub skipped: u64,
    left: Option<u64>,
}

impl Input {
    pub fn new(name: &str, o: &Options) -> Self {
        Input {
            name: name.to_owned(),
            stdin: o.files.is_empty(),
            named: o.files.len(),
            unopened: 0,
            files: o.files.clone().into_iter(),
            current: None,
            to_skip: o.skip,
            skipped: 0,
            left: o.length,
        }
    }

    /// Fills `buf` as far as the input goes; the bytes read.
    pub fn fill(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut got = 0;
        while got < buf.len() && self.left != Some(0) {
            let want = (buf.len() - got).min(self.left.map_or(usize::MAX, clamp));
            let Some(reader) = self.reader() else { break };
            let n = match reader.read(&mut buf[got..got + want]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                self.current = None;
                continue;
            }
            let skipped = usize::try_from(self.to_skip).unwrap_or(usize::MAX).min(n);
            self.to_skip -= skipped as u64;
            self.skipped += skipped as u64;
            buf.copy_within(got + skipped..got + n, got);
            let kept = n - skipped;
            got += kept;
            if let Some(left) = &mut self.left {
                *left -= kept as u64;
            }
        }
        Ok(got)
    }

    /// The file being read, opening the next one as needed; `None` after the last.
    fn reader(&mut self) -> Option<&mut Box<dyn Read>> {
        if std::mem::take(&mut self.stdin) {
            self.current = Some(Box::new(io::stdin()));
        }
        while self.current.is_none() {
            let file = self.files.next()?;
            match File::open(&file) {
                Ok(f) => self.current = self.skip_in(f).map(|f| Box::new(f) as Box<dyn Read>),
                Err(e) => {
                    let _ = writeln!(
                        io::stderr(),
                        "{}: {file}: {}",
                        self.name,
                        crate::cli::io_error(&e)
                    );
                    self.unopened += 1;
                }
            }
        }
        self.current.as_mut()
    }
}

impl Input {
    /// Skips what `-s` still asks for in a regular file by seeking (as util-linux does), the
    /// whole file when it is shorter; `None` then.
    fn skip_in(&mut self, mut file: File) -> Option<File> {
        use std::io::{Seek, SeekFrom};
        let len = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        let Some(len) = len.filter(|_| self.to_skip > 0) else {
            return Some(file);
        };
        let step = self.to_skip.min(len);
        if step < len && file.seek(SeekFrom::Start(step)).is_err() {
            return Some(file);
        }
        self.to_skip -= step;
        self.skipped += step;
        (step < len).then_some(file)
    }
}

fn clamp(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

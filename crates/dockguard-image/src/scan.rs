//! Reading every layer once, in parallel, into a [`Filesystem`] plus analyzer outputs.

use crate::analyze::{AnalyzerOutput, FileAnalyzer};
use crate::cache::Cache;
use crate::digest::Digest;
use crate::error::{Error, LayerName, Result};
use crate::fs::{FileEntry, Filesystem};
use crate::image::{Image, SourceFormat};
use crate::layer::{read_layer, Compression, LayerExpect, LayerRead, Limits};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::sync::Mutex;

/// How to scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    pub limits: Limits,
    /// Layer results are reused from and stored in this cache; `None` reads every layer.
    pub cache: Option<Cache>,
}

/// What reading one layer established.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerScan {
    pub index: usize,
    /// Blob digest as computed (verified against the manifest when it names one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<Digest>,
    /// Digest of the uncompressed tar (verified against the config).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff_id: Option<Digest>,
    pub size: u64,
    pub uncompressed_size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression: Option<Compression>,
    /// The layer was not read: its results came from the cache.
    pub from_cache: bool,
}

/// The result of [`Image::scan`].
#[derive(Debug, Clone)]
pub struct Scan {
    pub fs: Filesystem,
    pub layers: Vec<LayerScan>,
    outputs: Vec<(String, Vec<AnalyzerOutput>)>,
}

impl Scan {
    /// Everything the analyzer called `name` returned, base layer first.
    pub fn outputs(&self, name: &str) -> &[AnalyzerOutput] {
        self.outputs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, o)| o.as_slice())
            .unwrap_or(&[])
    }
}

fn layer_name(image: &Image, i: usize) -> LayerName {
    let l = &image.layers[i];
    LayerName {
        index: i,
        digest: l
            .digest
            .as_ref()
            .or(l.diff_id.as_ref())
            .map(|d| d.to_string()),
    }
}

impl Image {
    /// Reads every layer once (in parallel where the source allows), verifying digests, and
    /// builds the merged and per-layer views while handing wanted files to `analyzers`.
    pub fn scan(&self, analyzers: &[&dyn FileAnalyzer], opts: &ScanOptions) -> Result<Scan> {
        let limits = &opts.limits;
        if self.format == SourceFormat::Dir {
            let root = std::path::PathBuf::from(&self.layers[0].locator);
            let (entries, outputs) = crate::rootdir::scan_dir(&root, analyzers, limits)?;
            let mut entries = entries;
            entries.sort_by(|a, b| a.path.cmp(&b.path));
            return Ok(Scan {
                fs: Filesystem::from_layers(vec![entries]),
                layers: vec![LayerScan {
                    index: 0,
                    digest: None,
                    diff_id: None,
                    size: 0,
                    uncompressed_size: 0,
                    compression: None,
                    from_cache: false,
                }],
                outputs: analyzers
                    .iter()
                    .map(|a| a.name().to_string())
                    .zip(outputs)
                    .collect(),
            });
        }
        let n = self.layers.len();
        let mut results: Vec<Option<(LayerRead, bool)>> = vec![None; n];
        let mut todo: Vec<usize> = Vec::new();
        for (i, slot) in results.iter_mut().enumerate() {
            match opts
                .cache
                .as_ref()
                .and_then(|c| c.load(&self.layers[i], analyzers))
            {
                Some(mut hit) => {
                    for e in hit.entries.iter_mut() {
                        e.layer_index = i;
                    }
                    for o in hit.outputs.iter_mut().flatten() {
                        o.layer_index = i;
                    }
                    *slot = Some((hit, true));
                }
                None => todo.push(i),
            }
        }
        let read_one = |i: usize, r: &mut dyn Read| -> Result<LayerRead> {
            let l = &self.layers[i];
            let ex = LayerExpect {
                name: layer_name(self, i),
                index: i,
                digest: l.digest.as_ref(),
                size: l.size,
                diff_id: l.diff_id.as_ref(),
            };
            let read = read_layer(r, &ex, analyzers, limits)?;
            if let Some(c) = &opts.cache {
                // A cache that cannot be written only costs the next scan time.
                let _ = c.store(l, &read, analyzers);
            }
            Ok(read)
        };
        let fresh: Vec<(usize, Result<LayerRead>)> = if self.store.sequential() {
            let locators: Vec<String> = todo
                .iter()
                .map(|&i| self.layers[i].locator.clone())
                .collect();
            let mut out = Vec::new();
            // The first failing layer ends the pass; its own error is what `visit` returns.
            self.store.visit(&locators, &mut |k, r| {
                let i = todo[k];
                out.push((i, Ok(read_one(i, r)?)));
                Ok(())
            })?;
            out
        } else {
            todo.par_iter()
                .map(|&i| {
                    let res = self
                        .store
                        .open(&self.layers[i].locator)
                        .map_err(|e| Error::Layer {
                            layer: layer_name(self, i),
                            message: e.to_string(),
                        })
                        .and_then(|mut r| read_one(i, &mut r));
                    (i, res)
                })
                .collect()
        };
        let mut fresh = fresh;
        fresh.sort_by_key(|(i, _)| *i);
        for (i, res) in fresh {
            results[i] = Some((res?, false));
        }
        let mut total_entries = 0u64;
        let mut layers = Vec::with_capacity(n);
        let mut all_entries: Vec<Vec<FileEntry>> = Vec::with_capacity(n);
        let mut outputs: Vec<Vec<AnalyzerOutput>> = vec![Vec::new(); analyzers.len()];
        for (i, slot) in results.into_iter().enumerate() {
            let Some((read, from_cache)) = slot else {
                return Err(Error::Layer {
                    layer: layer_name(self, i),
                    message: "was not read (archive member missing?)".into(),
                });
            };
            total_entries += read.entries.len() as u64;
            if total_entries > limits.max_entries {
                return Err(Error::Layer {
                    layer: layer_name(self, i),
                    message: format!(
                        "the image has more than {} entries (limit)",
                        limits.max_entries
                    ),
                });
            }
            layers.push(LayerScan {
                index: i,
                digest: Some(read.blob_digest),
                diff_id: Some(read.diff_id),
                size: read.blob_size,
                uncompressed_size: read.uncompressed_size,
                compression: Some(read.compression),
                from_cache,
            });
            all_entries.push(read.entries);
            for (k, o) in read.outputs.into_iter().enumerate() {
                if let Some(slot) = outputs.get_mut(k) {
                    slot.extend(o);
                }
            }
        }
        Ok(Scan {
            fs: Filesystem::from_layers(all_entries),
            layers,
            outputs: analyzers
                .iter()
                .map(|a| a.name().to_string())
                .zip(outputs)
                .collect(),
        })
    }

    /// Reads one file version's content on demand (at most `max` bytes; the flag says whether
    /// it was cut). This re-streams the entry's layer, so prefer registering an analyzer when
    /// many files are needed.
    pub fn read_file(&self, entry: &FileEntry, max: u64) -> Result<(Vec<u8>, bool)> {
        struct Grab {
            path: String,
            max: u64,
            interest: crate::analyze::Interest,
            got: Mutex<Option<(Vec<u8>, bool)>>,
        }
        impl FileAnalyzer for Grab {
            fn name(&self) -> &str {
                "read-file"
            }
            fn version(&self) -> &str {
                "1"
            }
            fn interest(&self) -> &crate::analyze::Interest {
                &self.interest
            }
            fn analyze(
                &self,
                file: &FileEntry,
                content: crate::analyze::FileContent<'_>,
            ) -> Option<serde_json::Value> {
                if file.path == self.path {
                    let data = content.data[..content.data.len().min(self.max as usize)].to_vec();
                    let truncated = content.truncated || (data.len() as u64) < file.size;
                    if let Ok(mut g) = self.got.lock() {
                        // A duplicate later in the tar wins, as in extraction.
                        *g = Some((data, truncated));
                    }
                }
                None
            }
        }
        let li = entry.layer_index;
        let layer = self.layers.get(li).ok_or_else(|| Error::NotFound {
            message: format!("no layer {li} in {}", self.source),
        })?;
        if self.format == SourceFormat::Dir {
            return crate::rootdir::read_file(
                std::path::Path::new(&layer.locator),
                &entry.path,
                max,
            );
        }
        let interest = crate::analyze::Interest::paths([glob_escape(&entry.path)])
            .map_err(|e| Error::format(&entry.path, e))?
            .max_size(max);
        let grab = Grab {
            path: entry.path.clone(),
            max,
            interest,
            got: Mutex::new(None),
        };
        let ex = LayerExpect {
            name: layer_name(self, li),
            index: li,
            digest: layer.digest.as_ref(),
            size: layer.size,
            diff_id: layer.diff_id.as_ref(),
        };
        let mut r = self.store.open(&layer.locator)?;
        read_layer(&mut r, &ex, &[&grab], &Limits::default())?;
        grab.got
            .into_inner()
            .ok()
            .flatten()
            .ok_or_else(|| Error::NotFound {
                message: format!(
                    "{}: no regular file {} in layer {li}",
                    self.source, entry.path
                ),
            })
    }
}

fn glob_escape(p: &str) -> String {
    let mut s = String::with_capacity(p.len());
    for c in p.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | '\\') {
            s.push('[');
            s.push(c);
            s.push(']');
        } else {
            s.push(c);
        }
    }
    s
}

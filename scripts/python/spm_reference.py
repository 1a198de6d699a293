"""SentencePiece reference for tests/Bus.Interop.Tests: trains a small BPE model with Google's sentencepiece library
(Debian's python3-sentencepiece) on a text file, then writes the ids sentencepiece itself gives for each line of a probe file.

  /usr/bin/python3 scripts/python/spm_reference.py TEXT PROBES OUT_PREFIX VOCAB_SIZE
writes OUT_PREFIX.model and OUT_PREFIX.ids.json ({"lines": [...], "ids": [[...], ...]})."""
import json
import sys

import sentencepiece as spm

text, probes, prefix, vocab = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
spm.SentencePieceTrainer.train(input=text, model_prefix=prefix, vocab_size=vocab, model_type="bpe",
                               character_coverage=1.0, bos_id=1, eos_id=2, unk_id=0, pad_id=-1)
sp = spm.SentencePieceProcessor(model_file=prefix + ".model")
lines = [l.rstrip("\n") for l in open(probes, encoding="utf-8") if l.strip()]
json.dump({"lines": lines, "ids": [sp.encode(l) for l in lines], "decoded": [sp.decode(sp.encode(l)) for l in lines]},
          open(prefix + ".ids.json", "w", encoding="utf-8"), ensure_ascii=False)

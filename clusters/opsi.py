"""The answer options of a graded question, and their words in the reader's language."""

from django.utils.translation import pgettext_lazy

# The five grades published results use, as fractions of a question's maximum.
OPSI_BAKU = [
    {"label": "Tidak ada", "fraksi": "0"},
    {"label": "Sebagian kecil terpenuhi", "fraksi": "0.25"},
    {"label": "Sebagian terpenuhi", "fraksi": "0.5"},
    {"label": "Sebagian besar terpenuhi", "fraksi": "0.75"},
    {"label": "Terpenuhi seluruhnya", "fraksi": "1"},
]
# What a kecamatan or kelurahan answers for a per-unit question: it meets it or not.
OPSI_UNIT = [{"label": "Belum memenuhi", "fraksi": "0"}, {"label": "Memenuhi", "fraksi": "1"}]
# The options' words as people read them in their language. The labels above (and any an
# admin gave a question, which are kept as typed) stay Indonesian in the data; a label not
# listed here is shown as it is. (A context of their own: "Tidak ada" elsewhere means none.)
LABEL_OPSI = {
    "Tidak ada": pgettext_lazy("opsi jawaban", "Tidak ada"),
    "Sebagian kecil terpenuhi": pgettext_lazy("opsi jawaban", "Sebagian kecil terpenuhi"),
    "Sebagian terpenuhi": pgettext_lazy("opsi jawaban", "Sebagian terpenuhi"),
    "Sebagian besar terpenuhi": pgettext_lazy("opsi jawaban", "Sebagian besar terpenuhi"),
    "Terpenuhi seluruhnya": pgettext_lazy("opsi jawaban", "Terpenuhi seluruhnya"),
    "Belum memenuhi": pgettext_lazy("opsi jawaban", "Belum memenuhi"),
    "Memenuhi": pgettext_lazy("opsi jawaban", "Memenuhi"),
}


def label_opsi(label: str) -> str:
    """An option's label in the active language (unknown labels as they are)."""
    return str(LABEL_OPSI.get(label, label))

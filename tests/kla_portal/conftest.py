"""The home page tests read a RAD plan and the city's task force as their own pages' tests
set them up."""

from tests.koordinasi.conftest import gugus_kota  # noqa: F401 - fixture
from tests.rencana_aksi.conftest import periode  # noqa: F401 - fixture

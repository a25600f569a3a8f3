"""The results CSV as the author downloads it, parsed."""

import csv
import io

from asgiref.sync import async_to_sync


def csv_download(client, survey) -> list[list[str]]:
    response = client.get(f"/surveys/{survey.slug}/results/csv/")
    assert response.status_code == 200

    async def read():
        return b"".join([chunk async for chunk in response.streaming_content])

    return list(csv.reader(io.StringIO(async_to_sync(read)().decode("utf-8-sig"))))

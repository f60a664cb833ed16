def test_the_start_page_names_the_landlord_and_puts_999_first(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Report anti-social behaviour" in html
    assert "Riverside Homes" in html
    assert "call 999 now" in html
    assert '<html lang="en" dir="ltr"' in html


def test_the_start_page_in_urdu_reads_right_to_left(client):
    html = client.get("/?lang=ur").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl"' in html


def test_the_start_page_in_polish_says_so(client):
    html = client.get("/?lang=pl").get_data(as_text=True)
    assert '<html lang="pl" dir="ltr"' in html

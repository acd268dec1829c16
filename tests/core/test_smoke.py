def test_login_and_dashboard(client, make, login):
    foundation = make.foundation()
    person = make.person(foundation)
    login(person)
    page = client.get("/")
    assert page.status_code == 200
    assert person.first_name in page.get_data(as_text=True)

import pytest


@pytest.mark.django_db
def test_dashboard_reachable_for_verified_staff(user_for_role, verified_client):
    client = verified_client(user_for_role("community_staff"))
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "大新社区" in response.content.decode()

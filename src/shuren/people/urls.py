from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_new, name="person_new"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/party/", views.party_edit, name="party_edit"),
    path("<int:pk>/league/", views.league_edit, name="league_edit"),
    path("<int:pk>/residences/new/", views.residence_add, name="residence_add"),
    path("<int:pk>/residences/<int:residence_pk>/end/", views.residence_end, name="residence_end"),
    path("import/", views.import_residents_view, name="import"),
    path("export/", views.export_people, name="export"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/jobs/<int:pk>/", views.import_job, name="import_job"),
]

from django.urls import path

from .views import affiliations, console, imports, visits

app_name = "people"
urlpatterns = [
    path("", console.person_list, name="person_list"),
    path("new/", console.person_new, name="person_new"),
    path("<int:pk>/", console.person_detail, name="person_detail"),
    path("<int:pk>/edit/", console.person_edit, name="person_edit"),
    path("<int:pk>/party/", affiliations.party_edit, name="party_edit"),
    path("<int:pk>/league/", affiliations.league_edit, name="league_edit"),
    path("<int:pk>/residences/new/", console.residence_add, name="residence_add"),
    path("<int:pk>/residences/<int:residence_pk>/end/", console.residence_end, name="residence_end"),
    path("import/", imports.import_residents_view, name="import"),
    path("export/", console.export_people, name="export"),
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/new/", visits.visit_new, name="visit_new"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
    path("import/jobs/<int:pk>/", imports.import_job, name="import_job"),
]

"""Surnames read as surnames in the pinyin columns that search and ordering use (曾 zeng, not ceng;
单 shan, 解 xie, 仇 qiu, 区 ou, 查 zha, 朴 piao, 尉迟 yuchi ...): the people whose name starts with
one of them are spelled again, as ``people.pinyin.pinyin_of`` spells names now."""

from django.db import migrations

BATCH = 2000


def respell(apps, schema_editor):
    from shuren.people.pinyin import SURNAMES, pinyin_of

    Person = apps.get_model("people", "Person")
    for surname in SURNAMES:
        changed = []
        people = Person.objects.filter(name__startswith=surname).only("pk", "name", "name_pinyin", "name_initials")
        for person in people.iterator(chunk_size=BATCH):
            spelled = pinyin_of(person.name)
            if spelled != (person.name_pinyin, person.name_initials):
                person.name_pinyin, person.name_initials = spelled
                changed.append(person)
            if len(changed) == BATCH:
                Person.objects.bulk_update(changed, ["name_pinyin", "name_initials"])
                changed = []
        Person.objects.bulk_update(changed, ["name_pinyin", "name_initials"])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_import_job_duplicates"),
    ]

    operations = [migrations.RunPython(respell, migrations.RunPython.noop)]

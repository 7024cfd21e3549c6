from django.db import models
from django.utils.translation import gettext as _

from vestnik.news.models import ArticlePage


class ArticleVector(models.Model):
    """An article's sentence embedding (512 float32, L2-normalised) of its title and lead."""

    article = models.OneToOneField(
        ArticlePage, primary_key=True, on_delete=models.CASCADE, related_name="vector"
    )
    vector = models.BinaryField()
    published_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "вектор статьи"
        verbose_name_plural = "векторы статей"

    def __str__(self):
        return _("article vector %(id)s") % {"id": self.article_id}


class RelatedSuggestion(models.Model):
    """A precomputed neighbour: the page view reads these rows, it never compares vectors."""

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="related_out")
    related = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="related_in")
    score = models.FloatField("сходство")
    inserted = models.BooleanField("вставлена редактором", default=False)

    class Meta:
        verbose_name = "похожая статья"
        verbose_name_plural = "похожие статьи"
        constraints = [models.UniqueConstraint(fields=["article", "related"], name="related_once")]
        indexes = [models.Index(fields=["article", "-score"], name="related_best")]

    def __str__(self):
        return f"{self.article_id} → {self.related_id} ({self.score:.2f})"

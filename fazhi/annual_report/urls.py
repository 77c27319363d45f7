app_name = "annual_report"
urlpatterns: list = []
